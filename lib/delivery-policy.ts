// Retry timing for webhook deliveries. Pure and free of Node built-ins: the delivery workflow
// imports it, and workflows run in Temporal's deterministic sandbox.
import type { Config } from './config';

export interface DeliveryPolicy {
  /** Waits before automatic attempt 2, 3, ...; its length + 1 is the number of automatic attempts. */
  retryScheduleMs: number[];
  jitter: number;
  attemptTimeoutMs: number;
  /**
   * Attempts as local activities (cheaper; see the delivery workflow). Absent in policies
   * recorded before it existed, which replay as they ran.
   */
  localAttempts?: boolean;
}

/** Workflows cannot read config: the policy travels in their arguments. */
export function deliveryPolicy(
  config: Pick<
    Config,
    | 'WEBHOOK_RETRY_SCHEDULE_LIVE_MS'
    | 'WEBHOOK_RETRY_SCHEDULE_TEST_MS'
    | 'WEBHOOK_RETRY_JITTER'
    | 'WEBHOOK_ATTEMPT_TIMEOUT_MS'
    | 'WEBHOOK_ATTEMPTS_AS_LOCAL_ACTIVITIES'
  >,
  livemode: boolean,
): DeliveryPolicy {
  return {
    retryScheduleMs: [...(livemode ? config.WEBHOOK_RETRY_SCHEDULE_LIVE_MS : config.WEBHOOK_RETRY_SCHEDULE_TEST_MS)],
    jitter: config.WEBHOOK_RETRY_JITTER,
    attemptTimeoutMs: config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
    localAttempts: config.WEBHOOK_ATTEMPTS_AS_LOCAL_ACTIVITIES,
  };
}

/** `baseMs` × (1 ± jitter); `random` in [0, 1) (the workflow's deterministic Math.random). */
export function jittered(baseMs: number, jitter: number, random: number): number {
  return Math.max(0, Math.round(baseMs * (1 + jitter * (2 * random - 1))));
}

/** A receiver asking us to slow down never gets retried sooner than it asked, within the cap. */
export function retryDelayMs(backoffMs: number, retryAfterMs: number | null, capMs: number): number {
  if (retryAfterMs === null) return backoffMs;
  return Math.max(backoffMs, Math.min(retryAfterMs, capMs));
}

/** `Retry-After: <seconds>` or an HTTP date, as milliseconds from `nowMs`; null if absent/invalid. */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // An HTTP date has a day or month name; Date.parse would also take "-5" as a year.
  if (!/[A-Za-z]{3}/.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
