// One example delivery body per event type, from the event catalog (shared/seeds/000_*). They
// appear under each webhook in the OpenAPI document, which the dashboard's event catalog shows;
// a test parses each against its type's envelope schema, so they cannot drift from the contract.
import type { EventType } from '../../domain/events/catalog';

const LISTING = { id: '24f0ebb1-73d7-4e99-9901-821078594271', object: 'listing' };
const ORDER_ID = 'd7df4fbe-2c0c-4328-a3b0-a32c68cabd43';

const data: Record<EventType, Record<string, unknown>> = {
  'listing.published': { object: LISTING },
  'listing.updated': { object: LISTING, previous_attributes: { price: { amount: 1199000 } } },
  'listing.unpublished': { object: LISTING },
  'listing.sold': { object: LISTING },
  'listing.in_stock': { object: LISTING },
  'order.received': {
    object: {
      id: ORDER_ID,
      object: 'order',
      external_id: 'shop-12345',
      status: 'pending',
      total_amount: 1500000,
      currency: 'USD',
      buyer: { name: 'Alice', email: 'alice@example.com', country: 'US' },
      line_items: [{ sku: '116610LN', quantity: 1, unit_amount: 1500000 }],
      ordered_at: '2026-05-08T08:41:16.345Z',
      created_at: '2026-05-08T08:41:16.770Z',
    },
  },
  'order.fulfilled': {
    object: { id: ORDER_ID, object: 'order', status: 'fulfilled' },
    previous_attributes: { status: 'pending' },
  },
  'order.cancelled': {
    object: { id: ORDER_ID, object: 'order', status: 'cancelled' },
    previous_attributes: { status: 'pending' },
  },
  'customer.matched': {
    object: {
      id: '36f5655d-4c3a-4d58-b8e2-a68edfcda239',
      object: 'customer',
      external_id: 'ext-A1',
      email: 'a1@example.com',
      name: 'Customer A1',
      phone: '+15551111',
      matched_existing: true,
      accepts_marketing: false,
      created_at: '2026-05-08T08:40:50.417Z',
    },
  },
  'integration.test_event': { object: { message: 'Test event from /v1/test/webhook_ping.' } },
};

export function webhookExample(type: EventType) {
  return {
    id: 'evt_4Yb1d8Qm2XcT0aVn7KpR3sLe',
    object: 'event',
    api_version: 'v1',
    created_at: '2026-05-08T08:41:16.770Z',
    livemode: false,
    type,
    data: data[type],
  };
}
