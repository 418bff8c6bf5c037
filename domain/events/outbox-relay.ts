import type { Client } from '@temporalio/client';
import type { Db, Queryable } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { startEventWorkflow } from '../../lib/temporal/gateway';
import { DUE_FOR_DISPATCH, readAdmission, type AdmissionGate } from './admission';
import { markEventQueued, type EventRow } from './event-store';

export interface EventStarter {
  /** Starts the event's workflow (a repeat is a no-op) and marks the event started. */
  /** `db` is the transaction that holds the row's lock, when the caller has one. */
  start(event: Pick<EventRow, 'id' | 'dealer_id' | 'type' | 'livemode'>, db?: Queryable): Promise<void>;
  /**
   * Starts without the caller waiting, at most `maxDetached` at once; beyond that (Temporal
   * slower than the writes) the event is left to the dispatcher. Never rejects.
   */
  startDetached(event: Pick<EventRow, 'id' | 'dealer_id' | 'type' | 'livemode'>): void;
  /** Whether writes should answer before their events' workflows have started. */
  readonly detachAfterCommit: boolean;
  /** Waits for the detached starts in flight (graceful shutdown). */
  drain(): Promise<void>;
}

/**
 * Without a deadline the client retries an unreachable server for about 20 s, and the API's
 * answer waits for it. The row is committed either way and the dispatcher starts it later, so
 * giving up early loses nothing.
 */
const DEFAULT_START_DEADLINE_MS = 2_000;

export function createEventStarter(deps: {
  client: Client;
  db: Db;
  taskQueue: string;
  logger: Logger;
  startDeadlineMs?: number;
  /** Detached starts in flight at most; 0 = callers wait for their starts (no cap on explicit detaching). */
  maxDetached?: number;
  /** When closed (too much in flight, or older events waiting), detached starts are left to the dispatcher. */
  admission?: AdmissionGate;
}): EventStarter {
  const deadlineMs = deps.startDeadlineMs ?? DEFAULT_START_DEADLINE_MS;
  const maxDetached = deps.maxDetached ?? 0;
  const detached = new Set<Promise<void>>();
  const queueing = new Set<Promise<void>>();
  /** Hands the start to the dispatcher now, not after its grace; if the mark fails, the grace still holds. */
  const leaveToDispatcher = (eventId: string, why: string) => {
    deps.logger.debug({ eventId }, `${why}; the dispatcher will start this event`);
    const p = markEventQueued(deps.db, eventId)
      .catch((err: unknown) => deps.logger.warn({ err, eventId }, 'could not queue an event for the dispatcher'))
      .finally(() => queueing.delete(p));
    queueing.add(p);
  };
  const starter: EventStarter = {
    detachAfterCommit: maxDetached > 0,
    startDetached(event) {
      if (maxDetached > 0 && detached.size >= maxDetached) {
        leaveToDispatcher(event.id, 'too many starts in flight');
        return;
      }
      if (deps.admission && !deps.admission.open()) {
        leaveToDispatcher(event.id, 'pipeline at its in-flight cap');
        return;
      }
      const p = starter
        .start(event)
        .catch((err: unknown) => {
          deps.logger.warn({ err, eventId: event.id }, 'workflow start after commit failed; dispatcher will retry');
        })
        .finally(() => detached.delete(p));
      detached.add(p);
    },
    async drain() {
      await Promise.allSettled([...detached, ...queueing]);
    },
    async start(event, db = deps.db) {
      await deps.client.withDeadline(Date.now() + deadlineMs, () =>
        startEventWorkflow(deps.client, deps.taskQueue, {
          id: event.id,
          dealerId: event.dealer_id,
          type: event.type,
          livemode: event.livemode,
        }),
      );
      // The database remembers what was started: Temporal forgets closed workflows after retention.
      await db('events')
        .where({ id: event.id })
        .whereNull('workflow_started_at')
        .update({ workflow_started_at: db.fn.now() });
    },
  };
  return starter;
}

/**
 * Starts events an API process left to it, and events whose commit was never followed by a
 * workflow start (the API crashed, or Temporal was down). Safe to run in every worker at once:
 * starts are idempotent, and SKIP LOCKED keeps two dispatchers from working on the same rows at
 * the same moment.
 * With `maxInFlight`, it is also the admission control: it starts only as many events, oldest
 * first, as there is room for under the cap of deliveries in flight.
 */
export async function dispatchUnstartedEvents(
  deps: { db: Db; starter: EventStarter; logger: Logger },
  opts: { graceMs: number; batchSize: number; maxInFlight?: number },
): Promise<number> {
  return deps.db.transaction(async (trx) => {
    let limit = opts.batchSize;
    if (opts.maxInFlight !== undefined) {
      const { inFlight } = await readAdmission(trx, { graceMs: opts.graceMs });
      // Each event counts as at least one delivery; its real fan-out shows on the next pass.
      limit = Math.min(limit, Math.max(0, opts.maxInFlight - inFlight));
      if (limit === 0) return 0;
    }
    const rows = await trx<EventRow>('events')
      .select('id', 'dealer_id', 'type', 'livemode')
      .whereRaw(DUE_FOR_DISPATCH, [opts.graceMs / 1000])
      .orderBy('created_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    let started = 0;
    let failedInARow = 0;
    for (const row of rows) {
      try {
        await deps.starter.start(row, trx);
        started++;
        failedInARow = 0;
      } catch (err) {
        // One event Temporal refuses must not hold up the rest, nor undo their marks; it stays
        // unstarted and is tried again next pass. Several failures in a row mean Temporal itself
        // is down: stop rather than wait out every start's deadline with the rows locked.
        deps.logger.warn({ err, eventId: row.id }, 'dispatcher could not start an event; trying again next pass');
        if (++failedInARow >= MAX_FAILURES_IN_A_ROW) break;
      }
    }
    if (started > 0) deps.logger.info({ count: started }, 'dispatcher started unstarted events');
    return started;
  });
}

const MAX_FAILURES_IN_A_ROW = 3;
