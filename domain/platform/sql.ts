import type { Queryable } from '../../lib/db';

/** The database clock, typed as the Date the column reads back as (one clock for all rows). */
export const dbNow = (db: Queryable): Date => db.fn.now() as unknown as Date;

/**
 * The transaction's timestamp, the value a `now()` column default writes in it: for building
 * a row's outward shape (an event's object) before the row itself is inserted.
 */
export async function transactionTime(trx: Queryable): Promise<Date> {
  const { rows } = await trx.raw<{ rows: { now: Date }[] }>('SELECT now() AS now');
  return (rows[0] as { now: Date }).now;
}

/** Ids that are not UUIDs cannot name a row; checking first keeps Postgres from erroring on the cast. */
export const isUuid = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
