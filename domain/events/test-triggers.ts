// `wth trigger <type>`: fires a real event of a type in test mode, through the same domain
// changes a dealer would make (a listing toggled on, an order from another channel, …), so it
// goes through the real pipeline. The changes it needs first fire their own events too, as
// `stripe trigger`'s fixtures do; all of them are returned, the requested one last.
import { randomBytes } from 'node:crypto';
import { NotFoundError, UnprocessableError } from '../errors';
import type { Queryable } from '../../lib/db';
import { dashboardActor, type Actor } from '../platform/actor';
import { upsertCustomer } from '../commerce/customers';
import type { EventType } from './catalog';
import { sendTestEvent } from './event-service';
import type { EventRow } from './event-store';
import {
  createListing,
  markInStock,
  markSold,
  setCustomChannel,
  updateListing,
  type ListingRow,
} from '../commerce/listings';
import { cancelOrder, fulfilOrder, reportOrder, type OrderRow } from '../commerce/orders';
import type { UnitOfWorkDeps } from '../platform/unit-of-work';

export interface TriggerCaller {
  dealerId: string;
  integrationId: string;
  livemode: boolean;
}

const tag = () => randomBytes(4).toString('hex').toUpperCase();

/** Orders and customer writes of `wth trigger` come from the dealer's Shopify channel. */
async function otherChannelActor(db: Queryable, caller: TriggerCaller): Promise<Actor> {
  const row = await db('integrations').where({ dealer_id: caller.dealerId, kind: 'shopify' }).first('id');
  if (!row) throw new NotFoundError('integration');
  return { dealerId: caller.dealerId, livemode: false, origin: 'shopify', integrationId: row.id as string };
}

export async function triggerEvent(deps: UnitOfWorkDeps, caller: TriggerCaller, type: EventType): Promise<EventRow[]> {
  if (caller.livemode) {
    throw new UnprocessableError('Triggers create test data: use a test API key.', 'test_mode_only');
  }
  const { db } = deps;
  const scope = { dealerId: caller.dealerId, livemode: false };
  const dashboard = await dashboardActor(db, caller.dealerId, false);
  const objects: string[] = [];
  const mark = await db('events').where({ dealer_id: caller.dealerId }).max('seq as max').first();

  const publishedListing = async (): Promise<ListingRow> => {
    const listing = await createListing(db, dashboard, {
      brand: 'Omega',
      model: 'Speedmaster Professional (wth trigger)',
      reference: `WTH-TRIGGER-${tag()}`,
      year: 2022,
      condition: 'very_good',
      price: { amount: 650000, currency: 'EUR' },
      photos: [],
    });
    objects.push(listing.id);
    return (await setCustomChannel(deps, dashboard, scope, listing.id, true)).result;
  };
  const order = async (sku: string): Promise<OrderRow> => {
    const { row } = await reportOrder(deps, await otherChannelActor(db, caller), {
      external_id: `wth-trigger-${tag()}`,
      total_amount: 650000,
      currency: 'EUR',
      buyer: { name: 'Test Buyer', email: 'buyer@example.test', country: 'DE' },
      line_items: [{ sku, quantity: 1, unit_amount: 650000 }],
      ordered_at: new Date().toISOString(),
    });
    objects.push(row.id);
    return row;
  };

  switch (type) {
    case 'listing.published':
      await publishedListing();
      break;
    case 'listing.updated': {
      const l = await publishedListing();
      await updateListing(deps, dashboard, scope, l.id, { price: { amount: 620000, currency: 'EUR' } });
      break;
    }
    case 'listing.unpublished': {
      const l = await publishedListing();
      await setCustomChannel(deps, dashboard, scope, l.id, false);
      break;
    }
    case 'listing.sold':
      await markSold(deps, dashboard, scope, (await publishedListing()).id);
      break;
    case 'listing.in_stock': {
      const l = await publishedListing();
      await markSold(deps, dashboard, scope, l.id);
      await markInStock(deps, dashboard, scope, l.id);
      break;
    }
    case 'order.received':
      await order(`WTH-TRIGGER-UNLISTED-${tag()}`);
      break;
    case 'order.fulfilled': {
      const o = await order((await publishedListing()).reference);
      await fulfilOrder(deps, dashboard, scope, o.id);
      break;
    }
    case 'order.cancelled':
      await cancelOrder(deps, await otherChannelActor(db, caller), scope, (await order(`WTH-TRIGGER-${tag()}`)).id);
      break;
    case 'customer.matched': {
      const actor = await otherChannelActor(db, caller);
      const externalId = `wth-trigger-${tag()}`;
      const first = await upsertCustomer(deps, actor, { external_id: externalId, email: `${externalId}@example.test` });
      objects.push(first.row.id);
      await upsertCustomer(deps, actor, { external_id: externalId, name: 'Test Customer' });
      break;
    }
    case 'integration.test_event':
      return [await sendTestEvent(deps, { ...caller, origin: 'api' })];
  }
  return db<EventRow>('events')
    .where({ dealer_id: caller.dealerId, livemode: false })
    .where('seq', '>', String(mark?.max ?? 0))
    .whereRaw(`data->'object'->>'id' = ANY(?)`, [objects])
    .orderBy('seq');
}
