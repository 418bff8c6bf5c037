import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { dispatchUnstartedEvents, type EventStarter } from '../domain/events/outbox-relay';
import { every } from './periodic';

const BATCH = 200;

/** The outbox relay: periodically starts committed events that have no workflow yet. */
export function startDispatcher(
  deps: { db: Db; starter: EventStarter; logger: Logger },
  opts: { intervalMs: number; graceMs: number },
): { stop(): Promise<void> } {
  return every(
    opts.intervalMs,
    async (stopped) => {
      // Drain in batches so a large backlog after an outage is cleared quickly.
      while (
        !stopped() &&
        (await dispatchUnstartedEvents(deps, { graceMs: opts.graceMs, batchSize: BATCH })) === BATCH
      );
    },
    { logger: deps.logger, what: 'dispatcher' },
  );
}
