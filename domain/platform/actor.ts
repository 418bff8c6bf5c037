import type { Queryable } from '../../lib/db';
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
 * Serialises inserts into one table for one dealer and mode until commit, so rows become
 * visible in `seq` order. Without it a row could commit after one with a higher `seq`, and a
 * client following the tail with `starting_after=<last id seen>` (polling for new orders)
 * would never see it. Contention is per dealer and mode only.
 */
export async function lockAppendOrder(trx: Queryable, table: string, dealerId: string, livemode: boolean) {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))', [table, `${dealerId}:${livemode}`]);
}
