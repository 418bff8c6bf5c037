import type { Knex } from 'knex';
import type { Queryable, Tx } from '../../lib/db';
import { NotFoundError } from '../errors';
import type { EventOrigin } from '../events/catalog';

/**
 * Who is making a change, in which mode: events name it as their origin, and echo
 * suppression relies on `integrationId` being the integration that made the write.
 */
export interface Actor {
  dealerId: string;
  /** The mode new rows are created in; changes to an existing row happen in that row's mode. */
  livemode: boolean;
  origin: EventOrigin;
  integrationId: string;
}

/** Rows a caller may see: one dealer, and for API keys one mode. */
export interface Scope {
  dealerId: string;
  livemode?: boolean;
}

export function apiActor(auth: { dealerId: string; livemode: boolean; integrationId: string }): Actor {
  return { dealerId: auth.dealerId, livemode: auth.livemode, origin: 'api', integrationId: auth.integrationId };
}

/** Dashboard changes are attributed to the dealer's `dashboard` integration row. */
export async function dashboardActor(db: Queryable, dealerId: string, livemode: boolean): Promise<Actor> {
  const row = await db('integrations').where({ dealer_id: dealerId, kind: 'dashboard' }).first('id');
  if (!row) throw new NotFoundError('integration');
  return { dealerId, livemode, origin: 'dashboard', integrationId: row.id as string };
}

export function whereScope(scope: Scope, alias = ''): Record<string, unknown> {
  const p = alias ? `${alias}.` : '';
  return scope.livemode === undefined
    ? { [`${p}dealer_id`]: scope.dealerId }
    : { [`${p}dealer_id`]: scope.dealerId, [`${p}livemode`]: scope.livemode };
}

/**
 * Inserts one row into an append-ordered table (one a client may follow with
 * `starting_after=<last id seen>`, polling for new rows): rows of one dealer and mode become
 * visible in `seq` order. Without that a row could commit after one with a higher `seq`, and
 * the follower, already past it, would never see it. The statement itself first takes a
 * per-dealer-and-mode advisory lock held until commit (a materialized CTE the INSERT selects
 * from, so `seq` is drawn only once the lock is granted), then inserts. The lock is therefore
 * held for this one statement and the COMMIT: callers do every read, row lock and other write
 * of the transaction before calling this, and nothing after it but commit, which keeps the
 * section short and the lock always the last one taken (no deadlock).
 * Returns the inserted row, or none when `onConflict` found the row already there.
 */
export async function insertInSeqOrder<T>(
  trx: Tx,
  table: string,
  scope: { dealerId: string; livemode: boolean },
  row: Record<string, Knex.Value>,
  onConflict: string[],
): Promise<T | undefined> {
  const columns = Object.keys(row);
  const { rows } = await trx.raw<{ rows: T[] }>(
    `WITH appending AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?)))
     INSERT INTO ?? (${columns.map(() => '??').join(', ')})
     SELECT ${columns.map(() => '?').join(', ')} FROM appending
     ON CONFLICT (${onConflict.map(() => '??').join(', ')}) DO NOTHING
     RETURNING *`,
    [table, `${scope.dealerId}:${scope.livemode}`, table, ...columns, ...Object.values(row), ...onConflict],
  );
  return rows[0];
}
