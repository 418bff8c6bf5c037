// The dashboard's Delivery Log and Events API: multi-value filters, the delivery detail with
// masked request headers and the event body, recover's dry-run count, the events list, the
// event catalog's examples in the OpenAPI document, and which event each inventory action fired.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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
import { listingAttrs } from '../helpers/domain';
import { addEndpoint, emitEvent, settled } from '../delivery/fixtures';
import { EVENT_TYPES } from '../../domain/events/catalog';
import { EVENT_ENVELOPE_SCHEMAS } from '../../api/schemas/events';
import type { CreatedDealer } from '../../domain/accounts/dealers';

/** A catalog-shaped `data.object` for listing events (the client checks bodies against the document). */
const listingRef = () => ({ id: randomUUID(), object: 'listing' });

const CONFIG = {
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '100',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_ATTEMPT_TIMEOUT_MS: '1500',
};

let api: TestApi;
let worker: TestWorker;
const receivers: Receiver[] = [];

before(async () => {
  api = await startTestApi(CONFIG);
  worker = await startTestWorker(CONFIG);
});
after(async () => {
  await worker.stop();
  await api.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function dashboard(d: CreatedDealer) {
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const c = client(api.url);
  return {
    get: (path: string) => c.get(`/api/dashboard${path}`, headers),
    post: (path: string, body?: unknown) => c.post(`/api/dashboard${path}`, body, headers),
    patch: (path: string, body?: unknown) => c.patch(`/api/dashboard${path}`, body, headers),
  };
}

async function receiver(status: number, secrets: string[] = []) {
  const rx = await startReceiver({ secrets, reply: () => ({ status, body: status < 300 ? 'ok' : 'nope' }) });
  receivers.push(rx);
  return rx;
}

test('the delivery list filters by several statuses and event types, and rejects unknown ones by name', async () => {
  const d = await createTestDealer(api.deps.db);
  const good = await receiver(200);
  const bad = await receiver(500);
  const ok = await addEndpoint(api, { dealerId: d.dealer.id, integrationId: d.integration.id, url: good.url });
  const ko = await addEndpoint(api, { dealerId: d.dealer.id, integrationId: d.integration.id, url: bad.url });
  // One event after the other: deliveries are planned when an event's workflow runs, so two
  // events in flight at once could be planned in either order.
  const emitSettled = async (type: 'listing.sold' | 'order.fulfilled') => {
    const e = await emitEvent(api, { dealerId: d.dealer.id, type });
    assert.equal((await settled(api, e.id, ok.endpoint.id)).status, 'succeeded');
    assert.equal((await settled(api, e.id, ko.endpoint.id)).status, 'failed');
    return e;
  };
  const sold = await emitSettled('listing.sold');
  const fulfilled = await emitSettled('order.fulfilled');
  const dash = await dashboard(d);
  const rows = async (q: string) =>
    (await dash.get(`/deliveries?${q}`)).body.data.map((x: any) => `${x.event_type}/${x.status}`);

  // Newest first: the second event's deliveries (planned in endpoint order) before the first's.
  assert.deepEqual(await rows(''), [
    'order.fulfilled/failed',
    'order.fulfilled/succeeded',
    'listing.sold/failed',
    'listing.sold/succeeded',
  ]);
  assert.deepEqual((await rows('status=failed')).sort(), ['listing.sold/failed', 'order.fulfilled/failed']);
  assert.deepEqual((await rows('status=failed&status=succeeded')).length, 4);
  assert.deepEqual((await rows('status=pending')).length, 0);
  assert.deepEqual((await rows('event_type=listing.sold')).sort(), ['listing.sold/failed', 'listing.sold/succeeded']);
  assert.deepEqual(await rows(`event_type=listing.sold&status=failed&endpoint_id=${ko.endpoint.id}`), [
    'listing.sold/failed',
  ]);
  assert.equal((await rows('event_type=listing.sold&event_type=order.fulfilled')).length, 4);
  assert.equal((await rows(`integration_id=${d.integration.id}`)).length, 4);
  const otherIntegration = await createTestDealer(api.deps.db);
  assert.equal((await rows(`integration_id=${otherIntegration.integration.id}`)).length, 0);

  // Newest first, paged by cursor.
  const page1 = await dash.get('/deliveries?limit=3');
  assert.equal(page1.body.has_more, true);
  const page2 = await dash.get(`/deliveries?limit=3&starting_after=${page1.body.next_cursor}`);
  assert.equal(page2.body.data.length, 1);
  assert.equal(page2.body.data[0].event_id, sold.id);
  assert.equal(page1.body.data[0].event_id, fulfilled.id);

  const badStatus = await dash.get('/deliveries?status=failed&status=lost');
  assert.equal(badStatus.status, 400);
  assert.match(badStatus.body.error.param, /^status/);
  const badType = await dash.get('/deliveries?event_type=listing.teleported');
  assert.equal(badType.status, 400);
  assert.match(badType.body.error.param, /^event_type/);
  assert.equal((await dash.get('/deliveries?starting_after=dlv_nope')).status, 400);
  // Integration ids are UUIDs in the database: anything else is the caller's 400, not Postgres's 500.
  const badIntegration = await dash.get('/deliveries?integration_id=not-a-uuid');
  assert.equal(badIntegration.status, 400);
  assert.equal(badIntegration.body.error.param, 'integration_id');
});

test('the delivery detail has every attempt with the headers sent (signatures masked) and the event body', async () => {
  const d = await createTestDealer(api.deps.db);
  const rx = await receiver(503);
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: d.dealer.id,
    integrationId: d.integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  const ev = await emitEvent(api, { dealerId: d.dealer.id, type: 'listing.sold', object: listingRef() });
  const done = await settled(api, ev.id, endpoint.id);
  const dash = await dashboard(d);
  const res = await dash.get(`/deliveries/${done.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.attempts.length, 2);
  const [a1] = res.body.attempts;
  const sent = rx.requests[0]!;
  assert.equal(sent.verifiedBy.length, 1, 'the receiver verified the real signature');
  // Every header shown is one the receiver got, with the same value except the masked signature.
  for (const [name, value] of Object.entries(a1.request_headers as Record<string, string>)) {
    if (name === 'wth-signature') {
      assert.match(value, /^t=\d+,v1=•+$/);
      assert.equal(value.split(',')[0], (sent.headers['wth-signature'] as string).split(',')[0]);
      assert.ok(!value.includes((sent.headers['wth-signature'] as string).split('v1=')[1]!.slice(0, 8)));
    } else {
      assert.equal(sent.headers[name], value, name);
    }
  }
  assert.equal(a1.request_headers['wth-attempt'], '1');
  assert.equal(res.body.attempts[1].request_headers['wth-attempt'], '2');
  assert.equal(a1.status_code, 503);
  assert.equal(a1.response_body_preview, 'nope');
  assert.deepEqual(res.body.event, sent.body);
  assert.equal((await dash.get(`/deliveries/${done.id}?livemode=true`)).status, 404);
});

test('recover counts first (dry run, nothing sent), then re-sends exactly that many', async () => {
  const d = await createTestDealer(api.deps.db);
  const state = { status: 500 };
  const rx = await startReceiver({ reply: () => ({ status: state.status }) });
  receivers.push(rx);
  const { endpoint } = await addEndpoint(api, { dealerId: d.dealer.id, integrationId: d.integration.id, url: rx.url });
  const since = new Date(Date.now() - 1000).toISOString();
  const evs = [];
  for (let i = 0; i < 2; i++) evs.push(await emitEvent(api, { dealerId: d.dealer.id, type: 'listing.published' }));
  for (const e of evs) assert.equal((await settled(api, e.id, endpoint.id)).status, 'failed');
  const sentBefore = rx.requests.length;

  const dash = await dashboard(d);
  const dry = await dash.post(`/webhook_endpoints/${endpoint.id}/recover`, { since, dry_run: true });
  assert.equal(dry.status, 200);
  assert.deepEqual(dry.body, {
    id: null,
    object: 'recovery',
    endpoint_id: endpoint.id,
    since,
    status: 'preview',
    count: 2,
    resent: 0,
    created_at: null,
    completed_at: null,
  });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(rx.requests.length, sentBefore, 'a dry run sends nothing');
  const stillFailed = await dash.get(`/deliveries?endpoint_id=${endpoint.id}&status=failed`);
  assert.equal(stillFailed.body.data.length, 2);

  state.status = 200;
  const real = await dash.post(`/webhook_endpoints/${endpoint.id}/recover`, { since });
  assert.equal(real.status, 202);
  assert.equal(real.body.count, 2);
  assert.equal(real.body.status, 'running');
  assert.match(real.body.id, /^rcv_/);
  // The re-sends run in the background; the recovery says when they are done.
  const done = await waitUntil(
    async () => {
      const r = await dash.get(`/recoveries/${real.body.id}`);
      return r.body.status === 'completed' ? r.body : null;
    },
    { what: 'the recovery to complete', timeoutMs: 30_000 },
  );
  assert.equal(done.resent, 2);
  for (const e of evs) assert.equal((await settled(api, e.id, endpoint.id)).status, 'succeeded');
  const after = await dash.post(`/webhook_endpoints/${endpoint.id}/recover`, { since, dry_run: true });
  assert.equal(after.body.count, 0);

  const badFlag = await dash.post(`/webhook_endpoints/${endpoint.id}/recover`, { since, dry_run: 'yes' });
  assert.equal(badFlag.status, 400);
  assert.equal(badFlag.body.error.param, 'dry_run');
});

test('the events list is newest first with each body, per mode and filterable by type', async () => {
  const d = await createTestDealer(api.deps.db);
  const ref = listingRef();
  const a = await emitEvent(api, { dealerId: d.dealer.id, type: 'listing.sold', object: ref });
  const b = await emitEvent(api, { dealerId: d.dealer.id, type: 'listing.published', object: listingRef() });
  await emitEvent(api, { dealerId: d.dealer.id, type: 'listing.sold', livemode: true, object: listingRef() });
  const dash = await dashboard(d);
  const list = await dash.get('/events');
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.data.map((e: any) => e.id),
    [b.id, a.id],
  );
  assert.deepEqual(list.body.data[1].data, { object: ref });
  assert.equal((await dash.get('/events?livemode=true')).body.data.length, 1);
  assert.deepEqual(
    (await dash.get('/events?type=listing.published')).body.data.map((e: any) => e.id),
    [b.id],
  );
  assert.equal((await dash.get('/events?type=nope')).body.error.param, 'type');
  assert.equal((await dash.get(`/events/${a.id}`)).body.type, 'listing.sold');
  assert.equal((await dash.get(`/events/${a.id}?livemode=true`)).status, 404);
  const other = await dashboard(await createTestDealer(api.deps.db));
  assert.equal((await other.get(`/events/${a.id}`)).status, 404);
});

test('every webhook in the served OpenAPI document has a description and a valid example payload', async () => {
  const doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  assert.deepEqual(Object.keys(doc.webhooks).sort(), [...EVENT_TYPES].sort());
  for (const type of EVENT_TYPES) {
    const op = doc.webhooks[type].post;
    assert.ok(op.description.length > 20, type);
    const example = op.requestBody.content['application/json'].example;
    assert.equal(example.type, type);
    const parsed = EVENT_ENVELOPE_SCHEMAS[type].safeParse(example);
    assert.ok(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`);
  }
  assert.ok(doc.paths['/api/dashboard/events'] && doc.paths['/api/dashboard/events/{id}']);
});

test('each inventory and order action answers which event it fired', async () => {
  const d = await createTestDealer(api.deps.db);
  const dash = await dashboard(d);
  const created = await dash.post('/listings', listingAttrs({ price: { amount: 1000000, currency: 'EUR' } }));
  const id = created.body.id;
  const types = (r: any) => r.body.fired_events.map((e: any) => e.type);

  // Editing an unpublished listing fires nothing: integrations cannot see it.
  const quiet = await dash.patch(`/listings/${id}`, { price: { amount: 1100000, currency: 'EUR' } });
  assert.equal(quiet.status, 200);
  assert.deepEqual(quiet.body.fired_events, []);
  const pub = await dash.post(`/listings/${id}/publish`);
  assert.deepEqual(types(pub), ['listing.published']);
  assert.equal(pub.body.published, true);
  const edit = await dash.patch(`/listings/${id}`, { price: { amount: 1200000, currency: 'EUR' } });
  assert.deepEqual(types(edit), ['listing.updated']);
  const fired = await dash.get(`/events/${edit.body.fired_events[0].id}`);
  assert.deepEqual(fired.body.data.previous_attributes, { price: { amount: 1100000 } });
  assert.deepEqual(types(await dash.post(`/listings/${id}/mark_sold`)), ['listing.sold']);
  assert.deepEqual(types(await dash.post(`/listings/${id}/mark_in_stock`)), ['listing.in_stock']);
  assert.deepEqual(types(await dash.post(`/listings/${id}/unpublish`)), ['listing.unpublished']);
  // Already unpublished: nothing changes, nothing fires.
  assert.deepEqual(types(await dash.post(`/listings/${id}/unpublish`)), []);
});
