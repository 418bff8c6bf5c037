// Orders reported by a channel, their matching to listings, and the order.* events.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Queryable, Tx } from '../../lib/db';
import { NotFoundError, UnprocessableError } from '../errors';
import { dbNow, isUuid, transactionTime } from '../platform/sql';
import { insertInSeqOrder, whereScope, type Actor, type Scope } from '../platform/actor';
import { restockListing, sellListing, type ListingRow } from './listings';
import { paginate, type Page, type PageRequest } from '../platform/pagination';
import { withEvents, withEventsFired, type Emit, type Fired, type UnitOfWorkDeps } from '../platform/unit-of-work';

export type OrderStatus = 'pending' | 'fulfilled' | 'cancelled';

export interface LineItem {
  sku: string;
  quantity: number;
  unit_amount: number;
}

export interface Buyer {
  name: string;
  email: string;
  country: string;
}

export interface OrderRow {
  id: string;
  seq: string;
  dealer_id: string;
  livemode: boolean;
  integration_id: string;
  external_id: string;
  status: OrderStatus;
  total_amount: string;
  currency: string;
  buyer: Buyer | null;
  line_items: LineItem[];
  ordered_at: Date | null;
  matched_listing_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrderInput {
  external_id: string;
  total_amount: number;
  currency: string;
  buyer: Buyer;
  line_items: LineItem[];
  ordered_at: string;
}

/** Catalog shape of `order.received`'s `data.object`. */
export function orderEventObject(
  row: Pick<
    OrderRow,
    'id' | 'external_id' | 'status' | 'total_amount' | 'currency' | 'buyer' | 'line_items' | 'ordered_at' | 'created_at'
  >,
) {
  return {
    id: row.id,
    object: 'order' as const,
    external_id: row.external_id,
    status: row.status,
    total_amount: Number(row.total_amount),
    currency: row.currency,
    buyer: row.buyer,
    line_items: row.line_items,
    ordered_at: row.ordered_at ? row.ordered_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
  };
}

/** Catalog shape of `order.fulfilled` / `order.cancelled`: a status change only. */
const orderStatusObject = (row: OrderRow) => ({ id: row.id, object: 'order' as const, status: row.status });

export interface ReportedOrder {
  row: OrderRow;
  /** `repeat`: the same order again; `conflict`: this external_id was reported with other data. */
  outcome: 'created' | 'repeat' | 'conflict';
}

/** Whether a report describes the order already stored under its external_id. */
function sameOrder(row: OrderRow, input: OrderInput): boolean {
  return (
    Number(row.total_amount) === input.total_amount &&
    row.currency === input.currency &&
    isDeepStrictEqual(row.buyer, input.buyer) &&
    isDeepStrictEqual(row.line_items, input.line_items) &&
    row.ordered_at?.getTime() === new Date(input.ordered_at).getTime()
  );
}

const repeatOf = (row: OrderRow, input: OrderInput): ReportedOrder => ({
  row,
  outcome: sameOrder(row, input) ? 'repeat' : 'conflict',
});

/** Another report of this external_id committed while this one was being prepared. */
class ReportedMeanwhile extends Error {}

/**
 * Idempotent on external_id per reporting integration and mode: a repeat returns the order
 * already stored and changes nothing; a report of that external_id with different data is a
 * conflict (the stored order is never silently kept in place of what the caller sent). A new order whose line item SKU is the reference of a
 * published, in-stock listing sells that listing in the same transaction; the row lock makes
 * a second order for the same watch find it sold. One order sells at most one listing (the
 * first matching line item), as `matched_listing_id` records one.
 *
 * Everything but the order row itself (the match and its row locks, the sale, the events) is
 * written first, under the order's pre-drawn id; the order is inserted last, by
 * insertInSeqOrder, so the per-dealer ordering lock covers one statement and the commit.
 */
export async function reportOrder(deps: UnitOfWorkDeps, actor: Actor, input: OrderInput): Promise<ReportedOrder> {
  const key = { integration_id: actor.integrationId, livemode: actor.livemode, external_id: input.external_id };
  try {
    return await withEvents(deps, async (trx, emit) => {
      const existing = await trx<OrderRow>('orders').where(key).first();
      if (existing) return repeatOf(existing, input);

      const skus = input.line_items.map((li) => li.sku);
      const candidates = await trx<ListingRow>('listings')
        .where({ dealer_id: actor.dealerId, livemode: actor.livemode, custom_channel: true, status: 'in_stock' })
        .whereIn('reference', skus)
        .orderBy('seq')
        .forUpdate();
      // FOR UPDATE re-checks the WHERE after waiting, so a listing sold meanwhile is not returned.
      const listing = skus.map((s) => candidates.find((c) => c.reference === s)).find((c) => c !== undefined);

      const draft = {
        id: randomUUID(),
        ...key,
        dealer_id: actor.dealerId,
        status: 'pending' as const,
        total_amount: String(input.total_amount),
        currency: input.currency,
        buyer: input.buyer,
        line_items: input.line_items,
        ordered_at: new Date(input.ordered_at),
        matched_listing_id: listing?.id ?? null,
        created_at: await transactionTime(trx),
      };
      await emit({
        dealerId: actor.dealerId,
        livemode: actor.livemode,
        type: 'order.received',
        object: orderEventObject(draft),
        origin: actor.origin,
        originIntegrationId: actor.integrationId,
      });
      if (listing) await sellListing(trx, emit, actor, listing, draft.id);

      const order = await insertInSeqOrder<OrderRow>(
        trx,
        'orders',
        actor,
        { ...draft, buyer: JSON.stringify(draft.buyer), line_items: JSON.stringify(draft.line_items) },
        ['integration_id', 'livemode', 'external_id'],
      );
      // Only the holder of the ordering lock inserts this dealer's orders, so a duplicate is
      // one that committed between the check above and the lock: undo the sale and events.
      if (!order) throw new ReportedMeanwhile();
      return { row: order, outcome: 'created' as const };
    });
  } catch (err) {
    if (!(err instanceof ReportedMeanwhile)) throw err;
    return repeatOf((await deps.db<OrderRow>('orders').where(key).first()) as OrderRow, input);
  }
}

export async function findOrder(db: Queryable, scope: Scope, id: string): Promise<OrderRow> {
  const row = isUuid(id)
    ? await db<OrderRow>('orders')
        .where({ ...whereScope(scope), id })
        .first()
    : undefined;
  if (!row) throw new NotFoundError('order', id, 'id');
  return row;
}

export async function listOrders(
  db: Queryable,
  scope: Scope,
  page: PageRequest,
  filter: { status?: OrderStatus } = {},
): Promise<Page<OrderRow>> {
  return paginate<OrderRow>(() => db('orders').where(whereScope(scope)), page, {
    direction: 'asc',
    filter: (q) => {
      if (filter.status) q.where({ status: filter.status });
    },
  });
}

async function lockOrder(trx: Queryable, scope: Scope, id: string): Promise<OrderRow> {
  const row = isUuid(id)
    ? await trx<OrderRow>('orders')
        .where({ ...whereScope(scope), id })
        .forUpdate()
        .first()
    : undefined;
  if (!row) throw new NotFoundError('order', id, 'id');
  return row;
}

/** Sets a locked order's status and emits `order.<status>` with the status it had before. */
async function moveOrderTo(
  trx: Tx,
  emit: Emit,
  actor: Actor,
  before: OrderRow,
  status: 'fulfilled' | 'cancelled',
): Promise<OrderRow> {
  const [after] = (await trx<OrderRow>('orders')
    .where({ id: before.id })
    .update({ status, updated_at: dbNow(trx) } as Partial<OrderRow>)
    .returning('*')) as OrderRow[];
  const order = after as OrderRow;
  await emit({
    dealerId: order.dealer_id,
    livemode: order.livemode,
    type: `order.${status}`,
    object: orderStatusObject(order),
    previousAttributes: { status: before.status },
    origin: actor.origin,
    originIntegrationId: actor.integrationId,
  });
  return order;
}

/** Cancelling an order that sold a listing puts that listing back in stock. */
export async function cancelOrder(deps: UnitOfWorkDeps, actor: Actor, scope: Scope, id: string): Promise<OrderRow> {
  return withEvents(deps, async (trx, emit) => {
    const before = await lockOrder(trx, scope, id);
    if (before.status === 'cancelled') {
      throw new UnprocessableError('This order is already cancelled.', 'order_already_cancelled');
    }
    const order = await moveOrderTo(trx, emit, actor, before, 'cancelled');
    const sold = await trx<ListingRow>('listings')
      .where({ sold_by_order_id: order.id, status: 'sold' })
      .forUpdate()
      .first();
    if (sold) await restockListing(trx, emit, actor, sold);
    return order;
  });
}

/** The dealer ships a matched order; an unmatched or non-pending order cannot be fulfilled. */
export async function fulfilOrder(
  deps: UnitOfWorkDeps,
  actor: Actor,
  scope: Scope,
  id: string,
): Promise<Fired<OrderRow>> {
  return withEventsFired(deps, async (trx, emit) => {
    const before = await lockOrder(trx, scope, id);
    if (before.status !== 'pending') {
      throw new UnprocessableError(
        `Only a pending order can be fulfilled; this one is ${before.status}.`,
        'order_not_pending',
      );
    }
    if (!before.matched_listing_id) {
      throw new UnprocessableError('Only an order matched to a listing can be fulfilled.', 'order_not_matched');
    }
    return moveOrderTo(trx, emit, actor, before, 'fulfilled');
  });
}
