// One example payload per event type, from the event catalog (shared/seeds/000_*): shown in the
// OpenAPI document's `webhooks` and used by the receiver package's buildExampleEvent.
import type { EventType } from '../../domain/events/catalog';

const listing = { id: '24f0ebb1-73d7-4e99-9901-821078594271', object: 'listing' };
const order = { id: 'd7df4fbe-2c0c-4328-a3b0-a32c68cabd43', object: 'order' };

const EXAMPLE_DATA: Record<EventType, { object: unknown; previous_attributes?: unknown }> = {
  'listing.published': { object: listing },
  'listing.updated': { object: listing, previous_attributes: { price: { amount: 1199000 } } },
  'listing.unpublished': { object: listing },
  'listing.sold': { object: listing },
  'listing.in_stock': { object: listing },
  'order.received': {
    object: {
      ...order,
      external_id: 'shop-12345',
      status: 'pending',
      total_amount: 1500000,
      currency: 'USD',
      buyer: { name: 'Alice', email: 'alice@example.com', country: 'US' },
      line_items: [{ sku: '116610LN', quantity: 1, unit_amount: 1500000 }],
      ordered_at: '2026-05-08T08:41:16.345+00:00',
      created_at: '2026-05-08T08:41:16.770507+00:00',
    },
  },
  'order.fulfilled': { object: { ...order, status: 'fulfilled' }, previous_attributes: { status: 'pending' } },
  'order.cancelled': { object: { ...order, status: 'cancelled' }, previous_attributes: { status: 'pending' } },
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
      created_at: '2026-05-08T08:40:50.417797+00:00',
    },
  },
  'integration.test_event': { object: { message: 'Test event from /v1/test/webhook_ping.' } },
};

export const exampleEvent = (type: EventType) => ({
  id: 'evt_4Yb1d8Qm2XcT0aVn7KpR3sLe',
  object: 'event',
  type,
  api_version: 'v1',
  created_at: '2026-05-08T08:41:16.770Z',
  livemode: false,
  data: EXAMPLE_DATA[type],
});
