// Delivery activities. Each HTTP attempt is exactly one `attemptDelivery` call that reads the
// endpoint and its secrets at send time, and returns the outcome (it throws only when the
// infrastructure fails, so Temporal retries it; a receiver's non-2xx is an ordinary result).
import { Context } from '@temporalio/activity';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { deliveryPolicy, parseRetryAfter, retryDelayMs, type DeliveryPolicy } from '../lib/delivery-policy';
import { signatureHeader } from '../lib/signing';
import { webhookHeaders } from '../lib/webhook-headers';
import type { SendResult, WebhookSender } from '../lib/webhook-sender';
import { findEvent, markEventPlanned, toEnvelope, type EventRow } from '../domain/events/event-store';
import {
  failingSinceAfter,
  loadAttemptContext,
  recordAttemptOutcome,
  type AttemptEndpoint,
  type RecordedAttempt,
} from '../domain/webhooks/attempt-store';
import {
  disableEndpoint,
  findAttemptByActivity,
  nextAttemptNumber,
  planDeliveries,
  stopDelivery,
  type AttemptTrigger,
  type DeliveryRow,
  type DeliveryStatus,
} from '../domain/webhooks/delivery-store';
import { createListenerTransport } from './listener-handoff';

export { USER_AGENT } from '../lib/webhook-headers';

export interface DeliveryActivityDeps {
  config: Config;
  db: Db;
  logger: Logger;
  sender: WebhookSender;
}

export interface DeliveryPlan {
  event: { id: string; type: string; dealerId: string; livemode: boolean };
  deliveries: { deliveryId: string; endpointId: string }[];
  policy: DeliveryPolicy;
  /** Optional so plans recorded before it existed replay unchanged. */
  startsPerRun?: number;
}

export interface AttemptInput {
  deliveryId: string;
  attemptNumber: number;
  trigger: AttemptTrigger;
  /** The (jittered) wait before the next automatic attempt; null when this is the last one. */
  retryInMs: number | null;
}

export interface AttemptOutcome {
  /** What happened: an HTTP answer or network error was recorded, or there was nothing to send to. */
  result: 'succeeded' | 'failed_attempt' | 'endpoint_disabled' | 'delivery_missing' | 'deferred';
  status: DeliveryStatus;
  attemptNumber: number;
  statusCode: number | null;
  /** When status is pending: how long to wait before the next (or, if deferred, this) attempt. */
  nextDelayMs: number | null;
}

// How long a deferred attempt waits before it tries for a slot again.
const DEFER_MS = 1_000;

// A live worker heartbeats all through an attempt; a killed one falls silent, and Temporal runs
// the attempt again after the workflow's heartbeat timeout instead of its whole start-to-close
// timeout (attempt timeout + 30 s).
export const ATTEMPT_HEARTBEAT_MS = 2_000;

/** One activity execution across its retries: the workflow run and the activity's id in it. */
function currentActivityKey(): string {
  const { workflowExecution, activityId } = Context.current().info;
  return `${workflowExecution?.runId ?? 'no-workflow'}/${activityId}`;
}

/** The outcome of an attempt that is already in the log. */
function fromRecord(recorded: RecordedAttempt, delivery: DeliveryRow): AttemptOutcome {
  const ok = recorded.statusCode !== null && recorded.statusCode >= 200 && recorded.statusCode < 300;
  return {
    result: ok ? 'succeeded' : 'failed_attempt',
    status: delivery.status,
    attemptNumber: recorded.attemptNumber,
    statusCode: recorded.statusCode,
    nextDelayMs:
      delivery.status === 'pending' && delivery.next_attempt_at
        ? Math.max(0, delivery.next_attempt_at.getTime() - Date.now())
        : null,
  };
}

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  const { config, db, logger, sender } = deps;
  const inFlight = new Map<string, number>();
  const listeners = createListenerTransport({ db });

  async function disableFor(endpointId: string, reason: string): Promise<void> {
    await disableEndpoint(db, endpointId, reason);
    logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  }

  return {
    async planDeliveries(eventId: string): Promise<DeliveryPlan | null> {
      const event = await findEvent(db, eventId);
      if (!event) return null;
      const rows = await planDeliveries(db, event);
      await markEventPlanned(db, event.id);
      return {
        event: { id: event.id, type: event.type, dealerId: event.dealer_id, livemode: event.livemode },
        deliveries: rows.map((d) => ({ deliveryId: d.id, endpointId: d.endpoint_id })),
        policy: deliveryPolicy(config, event.livemode),
        startsPerRun: config.WEBHOOK_FANOUT_STARTS_PER_RUN,
      };
    },

    async attemptDelivery(input: AttemptInput): Promise<AttemptOutcome> {
      const ctx = Context.current();
      // A local activity cannot heartbeat: its workflow task's timeout bounds a lost worker.
      const beat = ctx.info.isLocal ? undefined : setInterval(() => ctx.heartbeat(), ATTEMPT_HEARTBEAT_MS);
      try {
        return await attemptOnce(input);
      } finally {
        clearInterval(beat);
      }
    },
  };

  async function attemptOnce(input: AttemptInput): Promise<AttemptOutcome> {
    const { deliveryId, attemptNumber } = input;
    // Everything the attempt needs, in one query.
    const found = await loadAttemptContext(db, config.secretsKey, deliveryId, attemptNumber);
    if (!found) {
      return { result: 'delivery_missing', status: 'failed', attemptNumber, statusCode: null, nextDelayMs: null };
    }
    const { delivery, recorded, endpoint, event, secrets } = found;
    const activityKey = currentActivityKey();
    let toSend = input;
    if (recorded) {
      const replay = await recordedOrReplay(input, recorded, activityKey);
      if (replay.recorded) return fromRecord(replay.recorded, delivery);
      toSend = replay.send;
    }

    if (!endpoint || endpoint.status !== 'enabled' || secrets.length === 0 || !event) {
      await stopDelivery(db, deliveryId);
      return { result: 'endpoint_disabled', status: 'failed', attemptNumber, statusCode: null, nextDelayMs: null };
    }

    const busy = inFlight.get(endpoint.id) ?? 0;
    if (busy >= config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT) {
      return { result: 'deferred', status: 'pending', attemptNumber, statusCode: null, nextDelayMs: DEFER_MS };
    }
    inFlight.set(endpoint.id, busy + 1);
    try {
      return await send(toSend, activityKey, delivery, endpoint, secrets, event);
    } finally {
      const left = (inFlight.get(endpoint.id) ?? 1) - 1;
      if (left > 0) inFlight.set(endpoint.id, left);
      else inFlight.delete(endpoint.id);
    }
  }

  /**
   * An attempt already in the log is answered from it (a retried activity after a worker crash
   * never sends twice), unless it was recorded by another workflow run: then an operator reset
   * the workflow in Temporal UI to replay it, and it is sent again as a new attempt.
   */
  async function recordedOrReplay(
    input: AttemptInput,
    recorded: RecordedAttempt,
    activityKey: string,
  ): Promise<{ recorded: RecordedAttempt; send?: never } | { recorded?: never; send: AttemptInput }> {
    if (recorded.activityKey === null || recorded.activityKey === activityKey) return { recorded };
    const mine = await findAttemptByActivity(db, activityKey);
    if (mine) {
      return {
        recorded: { attemptNumber: mine.attempt_number, statusCode: mine.status_code, activityKey: mine.activity_key },
      };
    }
    const attemptNumber = await nextAttemptNumber(db, input.deliveryId);
    logger.info({ deliveryId: input.deliveryId, replayed: input.attemptNumber, attemptNumber }, 'operator replay');
    return { send: { ...input, attemptNumber, trigger: 'operator' } };
  }

  /** Signs, sends, and records one attempt; decides what happens next. */
  async function send(
    input: AttemptInput,
    activityKey: string,
    delivery: DeliveryRow,
    endpoint: AttemptEndpoint,
    secrets: string[],
    event: EventRow,
  ): Promise<AttemptOutcome> {
    const { deliveryId, attemptNumber } = input;
    // Serialized once: the signed bytes are exactly the bytes sent.
    const body = JSON.stringify(toEnvelope(event));
    const startedAt = new Date();
    // Worker shutdown: abandon the request and let Temporal re-run this attempt elsewhere.
    const signal = Context.current().cancellationSignal;
    let signature: string;
    let sent: SendResult;
    if (endpoint.kind === 'listener') {
      // Handed to the connected `wth listen`, which signs at hand-over and POSTs locally.
      const handed = await listeners.deliver({
        endpoint,
        deliveryId,
        attemptNumber,
        event: { id: event.id, type: event.type, seq: event.seq },
        body,
        attemptTimeoutMs: config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
        signal,
      });
      signature = handed.signatureHeader;
      sent = handed;
    } else {
      signature = signatureHeader(secrets, Math.floor(startedAt.getTime() / 1000), body);
      sent = await sender.send({
        url: endpoint.url as string,
        body,
        headers: webhookHeaders({
          signature,
          eventId: event.id,
          eventType: event.type,
          deliveryId: delivery.id,
          attemptNumber,
        }),
        timeoutMs: config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
        previewBytes: config.WEBHOOK_RESPONSE_PREVIEW_BYTES,
        signal,
      });
    }

    const code = sent.statusCode;
    const succeeded = code !== null && code >= 200 && code < 300;
    const failingSince = failingSinceAfter(endpoint, succeeded, startedAt);
    let status: DeliveryStatus;
    let nextDelayMs: number | null = null;
    if (succeeded) {
      status = 'succeeded';
    } else if (code === 410) {
      status = 'failed';
      await disableFor(endpoint.id, 'The endpoint answered 410 Gone; deliveries to it were stopped.');
    } else if (failingSince && Date.now() - failingSince.getTime() >= config.WEBHOOK_DISABLE_AFTER_MS) {
      status = 'failed';
      await disableFor(
        endpoint.id,
        `Every delivery attempt since ${failingSince.toISOString()} failed; the endpoint was disabled.`,
      );
    } else if (input.retryInMs !== null) {
      status = 'pending';
      const retryAfterMs =
        code === 429 || code === 503 ? parseRetryAfter(sent.retryAfter, startedAt.getTime() + sent.durationMs) : null;
      nextDelayMs = retryDelayMs(input.retryInMs, retryAfterMs, config.WEBHOOK_RETRY_AFTER_CAP_MS);
    } else {
      status = 'failed';
    }

    await recordAttemptOutcome(
      db,
      {
        delivery_id: deliveryId,
        attempt_number: attemptNumber,
        trigger: input.trigger,
        started_at: startedAt,
        duration_ms: sent.durationMs,
        status_code: code,
        error: sent.error ?? (code !== null && code >= 300 && code < 400 ? 'redirect not followed' : null),
        response_body_preview: sent.bodyPreview,
        signature_header: signature,
        activity_key: activityKey,
      },
      { status, nextAttemptAt: nextDelayMs === null ? null : new Date(Date.now() + nextDelayMs) },
      endpoint.id,
    );
    return {
      result: succeeded ? 'succeeded' : 'failed_attempt',
      status,
      attemptNumber,
      statusCode: code,
      nextDelayMs,
    };
  }
}
