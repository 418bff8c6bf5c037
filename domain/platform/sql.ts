import type { Queryable } from '../../lib/db';

/** The database clock, typed as the Date the column reads back as (one clock for all rows). */
export const dbNow = (db: Queryable): Date => db.fn.now() as unknown as Date;

/** Ids that are not UUIDs cannot name a row; checking first keeps Postgres from erroring on the cast. */
export const isUuid = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
