// Inventory listings and the listing.* events they cause.
//
// Which changes fire events: `listing.published` / `listing.unpublished` fire on every real
// toggle of the custom channel. `listing.updated`, `listing.sold` and `listing.in_stock` fire
// only while the listing is published to the custom channel: the integration cannot read an
// unpublished listing (GET /listings/:id is a 404), so an event about one would point at
// nothing. Republishing a listing fires `listing.published`, after which a fresh read is
// the integration's way to catch up.
import type { Queryable, Tx } from '../../lib/db';
import { NotFoundError, UnprocessableError } from '../errors';
import { dbNow, isUuid } from '../platform/sql';
import { whereScope, type Actor, type Scope } from '../platform/actor';
import type { Emit, UnitOfWorkDeps } from '../platform/unit-of-work';
import { withEvents } from '../platform/unit-of-work';
import { paginate, type Page, type PageRequest } from '../platform/pagination';
import type { EventType } from '../events/catalog';

export interface ListingRow {
  id: string;
  seq: string;
  dealer_id: string;
  livemode: boolean;
  brand: string;
  model: string;
  reference: string;
  year: number | null;
  condition: string;
  price_amount: string;
  price_currency: string;
  photos: string[];
  status: 'in_stock' | 'sold';
  custom_channel: boolean;
  published_at: Date | null;
  sold_by_order_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface Money {
  amount: number;
  currency: string;
}

export interface ListingAttributes {
  brand: string;
  model: string;
  reference: string;
  year?: number | null;
  condition: string;
  price: Money;
  photos?: string[];
}

export type ListingPatch = Partial<ListingAttributes>;

/** Catalog shape of every listing event's `data.object`: receivers fetch the rest. */
export const listingEventObject = (row: Pick<ListingRow, 'id'>) => ({ id: row.id, object: 'listing' as const });

export async function emitListingEvent(
  emit: Emit,
  actor: Actor,
  row: ListingRow,
  type: EventType,
  previousAttributes?: Record<string, unknown>,
): Promise<void> {
  await emit({
    dealerId: row.dealer_id,
    livemode: row.livemode,
    type,
    object: listingEventObject(row),
    ...(previousAttributes ? { previousAttributes } : {}),
    origin: actor.origin,
    originIntegrationId: actor.integrationId,
  });
}

export async function createListing(db: Queryable, actor: Actor, input: ListingAttributes): Promise<ListingRow> {
  const [row] = await db<ListingRow>('listings')
    .insert({
      dealer_id: actor.dealerId,
      livemode: actor.livemode,
      brand: input.brand,
      model: input.model,
      reference: input.reference,
      year: input.year ?? null,
      condition: input.condition,
      price_amount: String(input.price.amount),
      price_currency: input.price.currency,
      photos: JSON.stringify(input.photos ?? []) as unknown as string[],
    })
    .returning('*');
  return row as ListingRow;
}

export async function findListing(db: Queryable, scope: Scope, id: string): Promise<ListingRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db<ListingRow>('listings')
    .where({ ...whereScope(scope), id })
    .first();
}

/** What a Custom Integration may read: published listings of its dealer and mode. */
export async function getPublishedListing(db: Queryable, scope: Scope, id: string): Promise<ListingRow> {
  const row = await findListing(db, scope, id);
  if (!row || !row.custom_channel) throw new NotFoundError('listing', id, 'id');
  return row;
}

export async function listPublishedListings(db: Queryable, scope: Scope, page: PageRequest): Promise<Page<ListingRow>> {
  return paginate<ListingRow>(() => db('listings').where(whereScope(scope)), page, {
    direction: 'asc',
    filter: (q) => q.where({ custom_channel: true }),
  });
}

export async function listDealerListings(db: Queryable, scope: Scope, page: PageRequest): Promise<Page<ListingRow>> {
  return paginate<ListingRow>(() => db('listings').where(whereScope(scope)), page, { direction: 'asc' });
}

/** Locks the row for the rest of the transaction; 404 outside the scope. */
export async function lockListing(trx: Tx, scope: Scope, id: string): Promise<ListingRow> {
  const row = isUuid(id)
    ? await trx<ListingRow>('listings')
        .where({ ...whereScope(scope), id })
        .forUpdate()
        .first()
    : undefined;
  if (!row) throw new NotFoundError('listing', id, 'id');
  return row;
}

/** A listing's public attributes, in the shape `previous_attributes` reports them. */
function attributeValues(row: ListingRow): Record<string, unknown> {
  return {
    brand: row.brand,
    model: row.model,
    reference: row.reference,
    year: row.year,
    condition: row.condition,
    price: { amount: Number(row.price_amount), currency: row.price_currency.trim() },
    photos: row.photos,
  };
}

/** Only what changed, and for price only the changed half, e.g. `{"price":{"amount":1199000}}`. */
export function changedAttributes(before: ListingRow, after: ListingRow): Record<string, unknown> {
  const prev = attributeValues(before);
  const next = attributeValues(after);
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(prev)) {
    const a = prev[key];
    const b = next[key];
    if (key === 'price') {
      const pa = a as Money;
      const pb = b as Money;
      const diff: Partial<Money> = {};
      if (pa.amount !== pb.amount) diff.amount = pa.amount;
      if (pa.currency !== pb.currency) diff.currency = pa.currency;
      if (Object.keys(diff).length) changed.price = diff;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      changed[key] = a;
    }
  }
  return changed;
}

export async function updateListing(
  deps: UnitOfWorkDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  patch: ListingPatch,
): Promise<ListingRow> {
  return withEvents(deps, async (trx, emit) => {
    const before = await lockListing(trx, scope, id);
    const update: Record<string, unknown> = {};
    if (patch.brand !== undefined) update.brand = patch.brand;
    if (patch.model !== undefined) update.model = patch.model;
    if (patch.reference !== undefined) update.reference = patch.reference;
    if (patch.year !== undefined) update.year = patch.year;
    if (patch.condition !== undefined) update.condition = patch.condition;
    if (patch.price !== undefined) {
      update.price_amount = String(patch.price.amount);
      update.price_currency = patch.price.currency;
    }
    if (patch.photos !== undefined) update.photos = JSON.stringify(patch.photos);
    if (Object.keys(update).length === 0) return before;
    const [after] = (await trx<ListingRow>('listings')
      .where({ id })
      .update({ ...update, updated_at: dbNow(trx) } as Partial<ListingRow>)
      .returning('*')) as ListingRow[];
    const changed = changedAttributes(before, after as ListingRow);
    if (after!.custom_channel && Object.keys(changed).length > 0) {
      await emitListingEvent(emit, actor, after!, 'listing.updated', changed);
    }
    return after as ListingRow;
  });
}

export async function setCustomChannel(
  deps: UnitOfWorkDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  on: boolean,
): Promise<ListingRow> {
  return withEvents(deps, async (trx, emit) => {
    const before = await lockListing(trx, scope, id);
    if (before.custom_channel === on) return before;
    const [after] = (await trx<ListingRow>('listings')
      .where({ id })
      .update({
        custom_channel: on,
        published_at: on ? dbNow(trx) : null,
        updated_at: dbNow(trx),
      })
      .returning('*')) as ListingRow[];
    await emitListingEvent(emit, actor, after as ListingRow, on ? 'listing.published' : 'listing.unpublished');
    return after as ListingRow;
  });
}

/** Marks a locked listing sold; emits `listing.sold` if the integration can see it. */
export async function sellListing(
  trx: Tx,
  emit: Emit,
  actor: Actor,
  listing: ListingRow,
  orderId: string | null,
): Promise<ListingRow> {
  const [after] = (await trx<ListingRow>('listings')
    .where({ id: listing.id })
    .update({ status: 'sold', sold_by_order_id: orderId, updated_at: dbNow(trx) } as Partial<ListingRow>)
    .returning('*')) as ListingRow[];
  if (after!.custom_channel) await emitListingEvent(emit, actor, after!, 'listing.sold');
  return after as ListingRow;
}

/** Returns a locked sold listing to stock; emits `listing.in_stock` if the integration can see it. */
export async function restockListing(trx: Tx, emit: Emit, actor: Actor, listing: ListingRow): Promise<ListingRow> {
  const [after] = (await trx<ListingRow>('listings')
    .where({ id: listing.id })
    .update({ status: 'in_stock', sold_by_order_id: null, updated_at: dbNow(trx) } as Partial<ListingRow>)
    .returning('*')) as ListingRow[];
  if (after!.custom_channel) await emitListingEvent(emit, actor, after!, 'listing.in_stock');
  return after as ListingRow;
}

export async function markSold(deps: UnitOfWorkDeps, actor: Actor, scope: Scope, id: string): Promise<ListingRow> {
  return withEvents(deps, async (trx, emit) => {
    const listing = await lockListing(trx, scope, id);
    if (listing.status === 'sold')
      throw new UnprocessableError('This listing is already sold.', 'listing_already_sold');
    return sellListing(trx, emit, actor, listing, null);
  });
}

export async function markInStock(deps: UnitOfWorkDeps, actor: Actor, scope: Scope, id: string): Promise<ListingRow> {
  return withEvents(deps, async (trx, emit) => {
    const listing = await lockListing(trx, scope, id);
    if (listing.status !== 'sold')
      throw new UnprocessableError('Only a sold listing can return to stock.', 'listing_not_sold');
    return restockListing(trx, emit, actor, listing);
  });
}
