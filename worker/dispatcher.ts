import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { dispatchUnstartedEvents, type EventStarter } from '../domain/events/outbox-relay';

/** The outbox relay: periodically starts committed events that have no workflow yet. */
export function startDispatcher(
  deps: { db: Db; starter: EventStarter; logger: Logger },
  opts: { intervalMs: number; graceMs: number },
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      // Drain in batches so a large backlog after an outage is cleared quickly.
      while (!stopped && (await dispatchUnstartedEvents(deps, { graceMs: opts.graceMs, batchSize: 200 })) === 200);
    } catch (err) {
      deps.logger.warn({ err }, 'dispatcher pass failed; will retry');
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, opts.intervalMs);
  running = running.then(tick);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
