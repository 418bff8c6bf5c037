// Admission control for the delivery pipeline. Under a burst the backlog waits where it is
// cheap, as unstarted rows in the events outbox, and the dispatcher starts event workflows only
// while the deliveries in flight stay under a cap, oldest event first. Thousands of competing
// workflows would make Temporal's single history shard slower per delivery, not faster.
import type { Config } from '../../lib/config';
import type { Queryable } from '../../lib/db';
import type { Logger } from '../../lib/logger';

/**
 * A delivery counts as in flight from the moment its event's workflow starts until its first
 * attempt is recorded: before planning, an event counts as its dealer's enabled endpoints (an
 * upper bound: event-type filters are applied when planning), after it as its planned
 * deliveries. Counting only planned deliveries let the cap leak under a burst: while Temporal
 * was behind on planning, every dispatcher pass saw room and started more events. One stuck
 * longer than this window (an endpoint that hangs or defers, a plan that never ran) stops
 * counting, so nothing can hold admission shut for everyone else.
 */
export const IN_FLIGHT_WINDOW_MS = 60_000;

export interface AdmissionSnapshot {
  /** Deliveries in flight (within the window): planned and not yet attempted, or about to be planned. */
  inFlight: number;
  /** Events due for the dispatcher and not started (capped at 1,000). */
  waiting: number;
}

/**
 * An unstarted event the dispatcher should start: one an API process left to it, or one
 * committed longer ago than the grace (its API start never happened: a crash, Temporal down).
 * The grace keeps the dispatcher from racing a start the API still has in flight. One bind: the
 * grace in seconds.
 */
export const DUE_FOR_DISPATCH =
  'workflow_started_at is null and (queued_at is not null or created_at < now() - make_interval(secs => ?))';

export async function readAdmission(db: Queryable, opts: { graceMs: number }): Promise<AdmissionSnapshot> {
  const window = IN_FLIGHT_WINDOW_MS / 1000;
  const { rows } = (await db.raw(
    `select
       (select count(*)::int from deliveries
         where status = 'pending' and attempt_count = 0
           and created_at > now() - make_interval(secs => ?)) as planned,
       (select count(*)::int from events e
          join webhook_endpoints w
            on w.dealer_id = e.dealer_id and w.livemode = e.livemode and w.status = 'enabled'
         where e.planned_at is null and e.workflow_started_at is not null
           and e.workflow_started_at > now() - make_interval(secs => ?)) as unplanned,
       (select count(*)::int from (select 1 from events where ${DUE_FOR_DISPATCH} limit 1000) w) as waiting`,
    [window, window, opts.graceMs / 1000],
  )) as { rows: { planned: number; unplanned: number; waiting: number }[] };
  const r = rows[0];
  return { inFlight: (r?.planned ?? 0) + (r?.unplanned ?? 0), waiting: r?.waiting ?? 0 };
}

export interface AdmissionGate {
  /** Whether a writer may start its event's workflow itself now (else the dispatcher will). */
  open(): boolean;
}

/**
 * The API's view, refreshed in the background at most every `refreshMs`: open while nothing
 * waits for the dispatcher (so new events queue behind, oldest first) and the deliveries in
 * flight are under the cap.
 * Replicas each read the database, so the cap holds across them within one refresh.
 */
export function createAdmissionGate(deps: {
  db: Queryable;
  maxInFlight: number;
  graceMs?: number;
  refreshMs?: number;
  onError?: (err: unknown) => void;
}): AdmissionGate {
  const refreshMs = deps.refreshMs ?? 200;
  let isOpen = true;
  let readAt = 0;
  let reading = false;
  const refresh = () => {
    reading = true;
    readAdmission(deps.db, { graceMs: deps.graceMs ?? 1_000 })
      .then((s) => {
        isOpen = s.waiting === 0 && s.inFlight < deps.maxInFlight;
      })
      // Unknown state: leave the start to the dispatcher, which checks for itself.
      .catch((err: unknown) => {
        isOpen = false;
        deps.onError?.(err);
      })
      .finally(() => {
        readAt = Date.now();
        reading = false;
      });
  };
  return {
    open() {
      if (!reading && Date.now() - readAt >= refreshMs) refresh();
      return isOpen;
    },
  };
}

/** The gate a writer process uses under `config`, or none when the cap is off. */
export function admissionGateFor(
  config: Pick<Config, 'WEBHOOK_MAX_IN_FLIGHT_DELIVERIES' | 'DISPATCHER_GRACE_MS'>,
  db: Queryable,
  logger: Logger,
): AdmissionGate | undefined {
  if (config.WEBHOOK_MAX_IN_FLIGHT_DELIVERIES === 0) return undefined;
  return createAdmissionGate({
    db,
    maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT_DELIVERIES,
    graceMs: config.DISPATCHER_GRACE_MS,
    onError: (err) => logger.warn({ err }, 'admission check failed; the dispatcher starts new events'),
  });
}
