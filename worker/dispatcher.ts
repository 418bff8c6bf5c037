import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { readAdmission } from '../domain/events/admission';
import { dispatchUnstartedEvents, type EventStarter } from '../domain/events/outbox-relay';
import { every } from './periodic';

// While events wait for room under the in-flight cap, look again this often: room frees as
// deliveries are attempted, and an idle pipeline with a backlog is throughput lost.
const BACKLOG_INTERVAL_MS = 200;
const BATCH = 200;

/**
 * The outbox relay: periodically starts committed events that have no workflow yet; with
 * `maxInFlight`, it is the admission control that drains a backlog oldest first. `wake()` (an
 * API process queued an event for it) runs the next pass now.
 */
export function startDispatcher(
  deps: { db: Db; starter: EventStarter; logger: Logger },
  opts: { intervalMs: number; graceMs: number; maxInFlight?: number },
): { stop(): Promise<void>; wake(): void } {
  const pass = { graceMs: opts.graceMs, batchSize: BATCH, maxInFlight: opts.maxInFlight };
  return every(
    opts.intervalMs,
    async (stopped) => {
      // Drain in batches so a large backlog after an outage is cleared quickly.
      while (!stopped() && (await dispatchUnstartedEvents(deps, pass)) === BATCH);
      if (opts.maxInFlight === undefined) return opts.intervalMs;
      const { waiting } = await readAdmission(deps.db, { graceMs: opts.graceMs });
      return waiting > 0 ? Math.min(BACKLOG_INTERVAL_MS, opts.intervalMs) : opts.intervalMs;
    },
    { logger: deps.logger, what: 'dispatcher' },
  );
}
