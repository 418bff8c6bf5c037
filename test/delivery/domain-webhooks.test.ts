// End to end: changes made through the API and the dashboard reach a real, signature-checking
// receiver through the real worker, except the integration's own echoes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import {
  createTestDealer,
  dashboardSessionHeaders,
  startTestApi,
  startTestWorker,
  type TestApi,
  type TestWorker,
} from '../helpers/stack';
import { eventMark, eventsOf, makeListing } from '../helpers/domain';
import { eventWorkflowId } from '../../lib/temporal/contract';
import type { EventRow } from '../../domain/events/event-store';
import { addEndpoint, FAST } from './fixtures';

let api: TestApi;
let worker: TestWorker;
let receiver: Receiver;

before(async () => {
  api = await startTestApi(FAST);
  worker = await startTestWorker(FAST);
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await worker.stop();
  await api.close();
});

/** How many deliveries the event's workflow planned: 0 means nobody was sent it. */
async function plannedDeliveries(e: EventRow): Promise<number> {
  const result = await api.deps.temporal.workflow.getHandle(eventWorkflowId(e.id)).result();
  return (result as { deliveries: number }).deliveries;
}

async function receivedBody(eventId: string) {
  const r = await waitUntil(async () => receiver.requests.find((x) => x.body?.id === eventId), {
    what: `delivery of ${eventId}`,
  });
  assert.ok(r.verifiedBy.length > 0, 'signature verifies with the endpoint secret');
  return r.body;
}

test('domain events reach the endpoint signed and exactly as GET /events/:id shows them; echoes do not', async () => {
  const d = await createTestDealer(api.deps.db);
  const { secret } = await addEndpoint(api, {
    dealerId: d.dealer.id,
    integrationId: d.integration.id,
    url: receiver.url,
  });
  receiver.secrets.push(secret);
  const c = client(api.url, d.keys.test.key);
  const dash = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const delivered = async (e: EventRow) => {
    const body = await receivedBody(e.id);
    assert.deepEqual(body, (await c.get(`/api/v1/events/${e.id}`)).body);
    return body;
  };

  // Dashboard publish: delivered.
  let mark = await eventMark(api.deps.db);
  const listing = await makeListing(api.deps, d.dealer.id, { published: false });
  await client(api.url).post(`/api/dashboard/listings/${listing.id}/publish`, {}, dash);
  const [published] = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.equal((await delivered(published!)).type, 'listing.published');

  // The integration's own order: order.received is its echo, listing.sold is not.
  mark = await eventMark(api.deps.db);
  const order = await c.post('/api/v1/orders', {
    external_id: 'e2e-1',
    total_amount: 100,
    currency: 'EUR',
    buyer: { name: 'Al', email: 'al@example.com', country: 'DE' },
    line_items: [{ sku: listing.reference, quantity: 1, unit_amount: 100 }],
    ordered_at: '2026-11-23T10:00:00Z',
  });
  assert.equal(order.status, 201);
  const [received, sold] = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.equal(received!.type, 'order.received');
  assert.equal(await plannedDeliveries(received!), 0);
  assert.equal((await delivered(sold!)).type, 'listing.sold');

  // The dealer fulfils it in the dashboard: delivered.
  mark = await eventMark(api.deps.db);
  await client(api.url).post(`/api/dashboard/orders/${order.body.id}/fulfil`, {}, dash);
  const [fulfilled] = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.deepEqual((await delivered(fulfilled!)).data.previous_attributes, { status: 'pending' });

  // Its own customer match is an echo.
  await c.post('/api/v1/customers', { external_id: 'e2e-c' });
  mark = await eventMark(api.deps.db);
  await c.post('/api/v1/customers', { external_id: 'e2e-c', name: 'Changed' });
  const [matched] = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.equal(matched!.type, 'customer.matched');
  assert.equal(await plannedDeliveries(matched!), 0);

  // Cancelling through the API is not an echo-suppressed type: both events are delivered.
  mark = await eventMark(api.deps.db);
  await c.post(`/api/v1/orders/${order.body.id}/cancel`);
  const [cancelled, inStock] = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.deepEqual((await delivered(cancelled!)).data.previous_attributes, { status: 'fulfilled' });
  assert.equal((await delivered(inStock!)).type, 'listing.in_stock');
});

test('the webhook ping is delivered even to an endpoint subscribed to nothing like it', async () => {
  const d = await createTestDealer(api.deps.db);
  const { secret } = await addEndpoint(api, {
    dealerId: d.dealer.id,
    integrationId: d.integration.id,
    url: receiver.url,
    enabledEvents: ['order.fulfilled'],
  });
  receiver.secrets.push(secret);
  const c = client(api.url, d.keys.test.key);
  const ping = await c.post('/api/v1/test/webhook_ping');
  const body = await receivedBody(ping.body.id);
  assert.deepEqual(body, ping.body);
  assert.deepEqual(body.data.object, { message: 'Test event from /v1/test/webhook_ping.' });
});
