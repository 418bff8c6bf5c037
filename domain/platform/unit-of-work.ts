import type { Db, Tx } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import type { EventStarter } from '../events/outbox-relay';
import { recordEvent, type EventRow, type NewEvent } from '../events/event-store';

export interface UnitOfWorkDeps {
  db: Db;
  eventStarter: EventStarter;
  logger: Logger;
}

export type Emit = (event: NewEvent) => Promise<EventRow>;

export interface WithEventsOptions {
  /**
   * Return without waiting for the workflow starts. For big batches (a bulk upsert can emit
   * hundreds of events) the caller should not wait on hundreds of Temporal round trips; the
   * rows are committed, so the dispatcher covers a start that fails or never runs.
   */
  startInBackground?: boolean;
  /** Wait for the starts even where the API detaches them (callers that need the run at once). */
  awaitStarts?: boolean;
}

/**
 * Runs a domain change and records the events it causes in one transaction, then starts the
 * events' workflows after the commit. A failed start is only logged: the row is committed, so
 * the dispatcher will start it.
 */
export async function withEvents<T>(
  deps: UnitOfWorkDeps,
  fn: (trx: Tx, emit: Emit) => Promise<T>,
  opts: WithEventsOptions = {},
): Promise<T> {
  const emitted: EventRow[] = [];
  const result = await deps.db.transaction(async (trx) => {
    emitted.length = 0; // a retried transaction starts over
    return fn(trx, async (e) => {
      const row = await recordEvent(trx, e);
      emitted.push(row);
      return row;
    });
  });
  if (!opts.awaitStarts && (opts.startInBackground || deps.eventStarter.detachAfterCommit)) {
    for (const e of emitted) deps.eventStarter.startDetached(e);
    return result;
  }
  await Promise.all(
    emitted.map((e) =>
      deps.eventStarter.start(e).catch((err) => {
        deps.logger.warn({ err, eventId: e.id }, 'workflow start after commit failed; dispatcher will retry');
      }),
    ),
  );
  return result;
}
