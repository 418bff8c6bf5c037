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
import { addEndpoint, emitEvent, settled } from './fixtures';
import { deliveryWorkflowId } from '../../lib/temporal/contract';

// Test mode: two quick attempts, so deliveries fail fast. Live mode: a long wait, so a delivery
// stays pending between attempts for as long as the test needs.
const CONFIG = {
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '100',
  WEBHOOK_RETRY_SCHEDULE_LIVE_MS: '600000',
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

/** A receiver that fails until `up` is set. */
async function flakyReceiver(): Promise<Receiver & { up: boolean }> {
  const self: { up: boolean } = { up: false };
  const r = await startReceiver({
    reply: () => (self.up ? { status: 200, body: 'thanks' } : { status: 500, body: 'down' }),
  });
  receivers.push(r);
  return Object.assign(self, r);
}

test('the log lists deliveries newest first with filters and pagination, and shows every attempt', async () => {
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  const rx = await flakyReceiver();
  rx.up = true;
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const events = [];
  // One after the other, so the deliveries' creation order is the events' order.
  for (let i = 0; i < 3; i++) {
    const e = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
    await settled(api, e.id, endpoint.id);
    events.push(e);
  }

  const c = client(api.url, keys.test.key);
  const page1 = await c.get(`/api/v1/deliveries?limit=2`);
  assert.equal(page1.status, 200);
  assert.equal(page1.body.object, 'list');
  assert.equal(page1.body.has_more, true);
  assert.deepEqual(
    page1.body.data.map((d: any) => d.event_id),
    [events[2]!.id, events[1]!.id],
  );
  const page2 = await c.get(`/api/v1/deliveries?limit=2&starting_after=${page1.body.next_cursor}`);
  assert.deepEqual(
    page2.body.data.map((d: any) => d.event_id),
    [events[0]!.id],
  );
  assert.equal(page2.body.has_more, false);
  assert.equal(page2.body.next_cursor, null);

  const d = page1.body.data[0];
  assert.deepEqual(Object.keys(d).sort(), [
    'attempt_count',
    'created_at',
    'endpoint_id',
    'event_id',
    'event_type',
    'id',
    'last_attempt_at',
    'last_status_code',
    'livemode',
    'next_attempt_at',
    'object',
    'status',
    'status_reason',
  ]);
  assert.equal(d.object, 'delivery');
  assert.equal(d.status, 'succeeded');
  assert.equal(d.endpoint_id, endpoint.id);

  const byEvent = await c.get(`/api/v1/deliveries?event_id=${events[0]!.id}`);
  assert.equal(byEvent.body.data.length, 1);
  const byStatus = await c.get(`/api/v1/deliveries?status=failed`);
  assert.equal(byStatus.body.data.length, 0);
  const future = await c.get(
    `/api/v1/deliveries?created[gte]=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
  );
  assert.equal(future.status, 200);
  assert.equal(future.body.data.length, 0);
  const past = await c.get(`/api/v1/deliveries?created[lte]=${encodeURIComponent(new Date().toISOString())}`);
  assert.equal(past.body.data.length, 3);
  const bad = await c.get(`/api/v1/deliveries?status=lost`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.param, 'status');

  const one = await c.get(`/api/v1/deliveries/${d.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.attempts.length, 1);
  const [a] = one.body.attempts;
  assert.equal(a.attempt_number, 1);
  assert.equal(a.trigger, 'automatic');
  assert.equal(a.status_code, 200);
  assert.equal(a.response_body_preview, 'thanks');
  assert.equal(typeof a.duration_ms, 'number');
  assert.match(a.signature_header, /^t=\d+,v1=[0-9a-f]{64}$/);

  // Other dealers and the other mode never see it.
  const other = await createTestDealer(api.deps.db);
  assert.equal((await client(api.url, other.keys.test.key).get(`/api/v1/deliveries/${d.id}`)).status, 404);
  assert.equal((await client(api.url, other.keys.test.key).get(`/api/v1/deliveries`)).body.data.length, 0);
  await api.deps.db('integrations').where({ id: integration.id }).update({ live_enabled: true });
  assert.equal((await client(api.url, keys.live.key).get(`/api/v1/deliveries/${d.id}`)).status, 404);
});

test('manual retry of a failed delivery sends it again with trigger manual', async () => {
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  const rx = await flakyReceiver();
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'order.fulfilled' });
  const failed = await settled(api, ev.id, endpoint.id);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.attempt_count, 2);

  rx.up = true;
  const c = client(api.url, keys.test.key);
  const res = await c.post(`/api/v1/deliveries/${failed.id}/retry`);
  assert.equal(res.status, 202);
  assert.equal(res.body.id, failed.id);
  assert.ok(['pending', 'succeeded'].includes(res.body.status), res.body.status);
  const done = await settled(api, ev.id, endpoint.id);
  assert.equal(done.status, 'succeeded');
  const got = await c.get(`/api/v1/deliveries/${failed.id}`);
  assert.deepEqual(
    got.body.attempts.map((a: any) => [a.attempt_number, a.trigger, a.status_code]),
    [
      [1, 'automatic', 500],
      [2, 'automatic', 500],
      [3, 'manual', 200],
    ],
  );
  assert.equal(rx.requests.length, 3);
  assert.ok(rx.requests.every((r) => r.body.id === ev.id));

  const again = await c.post(`/api/v1/deliveries/${failed.id}/retry`);
  assert.equal(again.status, 422);
  assert.equal(again.body.error.code, 'delivery_already_succeeded');
  assert.equal((await c.post(`/api/v1/deliveries/dlv_nope/retry`)).status, 404);
});

test('manual retry of a pending delivery skips the rest of its wait', async () => {
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: integration.id }).update({ live_enabled: true });
  const rx = await flakyReceiver();
  const { endpoint } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
    livemode: true,
  });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.sold', livemode: true });
  const waiting = await waitUntil(
    async () => {
      const row = await api.deps.db('deliveries').where({ event_id: ev.id }).first();
      return row?.attempt_count === 1 && row;
    },
    { what: 'first failed attempt' },
  );
  assert.equal(waiting.status, 'pending');
  assert.ok(waiting.next_attempt_at.getTime() - waiting.last_attempt_at.getTime() >= 600_000);

  rx.up = true;
  const res = await client(api.url, keys.live.key).post(`/api/v1/deliveries/${waiting.id}/retry`);
  assert.equal(res.status, 202);
  const done = await settled(api, ev.id, endpoint.id);
  assert.equal(done.status, 'succeeded');
  assert.equal(done.attempt_count, 2);
  const got = await client(api.url, keys.live.key).get(`/api/v1/deliveries/${waiting.id}`);
  assert.equal(got.body.livemode, true);
  assert.deepEqual(
    got.body.attempts.map((a: any) => a.trigger),
    ['automatic', 'manual'],
  );
});

test('retrying a pending delivery whose workflow was terminated resumes its full schedule', async () => {
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: integration.id }).update({ live_enabled: true });
  const rx = await flakyReceiver();
  const { endpoint } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
    livemode: true,
  });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.sold', livemode: true });
  const waiting = await waitUntil(
    async () => {
      const row = await api.deps.db('deliveries').where({ event_id: ev.id }).first();
      return row?.attempt_count === 1 && row;
    },
    { what: 'first failed attempt' },
  );
  // An operator terminates the run in Temporal UI; the row still says pending.
  await api.deps.temporal.workflow.getHandle(deliveryWorkflowId(waiting.id)).terminate('operator test');
  const live = client(api.url, keys.live.key);
  assert.equal((await live.post(`/api/v1/deliveries/${waiting.id}/retry`)).status, 202);
  // Still failing: the resumed run keeps retrying on its schedule instead of giving up.
  const resumed = await waitUntil(
    async () => {
      const row = await api.deps.db('deliveries').where({ id: waiting.id }).first();
      return row.attempt_count === 2 && row;
    },
    { what: 'manual attempt' },
  );
  assert.equal(resumed.status, 'pending');
  assert.ok(resumed.next_attempt_at.getTime() - resumed.last_attempt_at.getTime() >= 600_000);
  rx.up = true;
  assert.equal((await live.post(`/api/v1/deliveries/${waiting.id}/retry`)).status, 202);
  assert.equal((await settled(api, ev.id, endpoint.id)).status, 'succeeded');
  assert.deepEqual(
    (await live.get(`/api/v1/deliveries/${waiting.id}`)).body.attempts.map((a: any) => [a.trigger, a.status_code]),
    [
      ['automatic', 500],
      ['manual', 500],
      ['manual', 200],
    ],
  );
});

test('recover is a background job: it answers the count at once, re-sends every failed delivery since a time, and can be watched', async () => {
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  const rx = await flakyReceiver();
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const before = new Date(Date.now() - 1000);
  const evs = [];
  for (let i = 0; i < 3; i++) evs.push(await emitEvent(api, { dealerId: dealer.id, type: 'listing.published' }));
  for (const e of evs) assert.equal((await settled(api, e.id, endpoint.id)).status, 'failed');

  rx.up = true;
  const c = client(api.url, keys.test.key);
  // A dry run only counts (what the dashboard shows before the dealer confirms).
  const preview = await c.post(`/api/v1/webhook_endpoints/${endpoint.id}/recover`, {
    since: before.toISOString(),
    dry_run: true,
  });
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body, {
    id: null,
    object: 'recovery',
    endpoint_id: endpoint.id,
    since: before.toISOString(),
    status: 'preview',
    count: 3,
    resent: 0,
    created_at: null,
    completed_at: null,
  });
  assert.equal(rx.requests.filter((r) => r.headers['wth-attempt'] === '3').length, 0, 'a dry run sends nothing');

  const res = await c.post(`/api/v1/webhook_endpoints/${endpoint.id}/recover`, { since: before.toISOString() });
  assert.equal(res.status, 202);
  assert.match(res.body.id, /^rcv_/);
  assert.equal(res.body.count, 3);
  assert.equal(res.body.endpoint_id, endpoint.id);
  // Its workflow has a business-key id, visible in Temporal UI.
  const handle = api.deps.temporal.workflow.getHandle(`recovery:${res.body.id}`);
  assert.deepEqual(await handle.result(), { recoveryId: res.body.id });
  const watched = await c.get(`/api/v1/recoveries/${res.body.id}`);
  assert.equal(watched.status, 200);
  assert.equal(watched.body.status, 'completed');
  assert.equal(watched.body.resent, 3);
  assert.ok(watched.body.completed_at);
  for (const e of evs) assert.equal((await settled(api, e.id, endpoint.id)).status, 'succeeded');
  const delivered = rx.requests.filter((r) => r.headers['wth-attempt'] === '3').map((r) => r.body.id);
  assert.deepEqual(delivered.sort(), evs.map((e) => e.id).sort());

  // Nothing failed is left: a second recovery sends nothing and is complete at once.
  const second = await c.post(`/api/v1/webhook_endpoints/${endpoint.id}/recover`, { since: before.toISOString() });
  assert.equal(second.body.count, 0);
  assert.equal(second.body.status, 'completed');
  assert.equal(
    (await c.post(`/api/v1/webhook_endpoints/we_nope/recover`, { since: before.toISOString() })).status,
    404,
  );
  // Another dealer cannot watch it.
  const stranger = await createTestDealer(api.deps.db);
  assert.equal((await client(api.url, stranger.keys.test.key).get(`/api/v1/recoveries/${res.body.id}`)).status, 404);
  const missing = await c.post(`/api/v1/webhook_endpoints/${endpoint.id}/recover`, {});
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.param, 'since');
});

test('the dashboard reads the log per mode and retries with its CSRF token', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await flakyReceiver();
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  // A catalog-shaped event: the dashboard's delivery detail carries the event body, checked against the document.
  const ev = await emitEvent(api, {
    dealerId: dealer.id,
    type: 'listing.sold',
    object: { id: randomUUID(), object: 'listing' },
  });
  const failed = await settled(api, ev.id, endpoint.id);
  const headers = await dashboardSessionHeaders(api.deps.db, dealer.id);
  const c = client(api.url);

  const list = await c.get('/api/dashboard/deliveries', headers);
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.data.map((d: any) => d.id),
    [failed.id],
  );
  assert.equal((await c.get('/api/dashboard/deliveries?livemode=true', headers)).body.data.length, 0);
  const one = await c.get(`/api/dashboard/deliveries/${failed.id}`, headers);
  assert.equal(one.body.attempts.length, 2);
  assert.equal((await c.get(`/api/dashboard/deliveries/${failed.id}?livemode=true`, headers)).status, 404);

  const noCsrf = await c.post(`/api/dashboard/deliveries/${failed.id}/retry`, {}, { cookie: headers.cookie! });
  assert.equal(noCsrf.status, 403);
  rx.up = true;
  const res = await c.post(`/api/dashboard/deliveries/${failed.id}/retry`, {}, headers);
  assert.equal(res.status, 202);
  assert.equal((await settled(api, ev.id, endpoint.id)).status, 'succeeded');

  const other = await createTestDealer(api.deps.db);
  const otherHeaders = await dashboardSessionHeaders(api.deps.db, other.dealer.id);
  assert.equal((await c.get(`/api/dashboard/deliveries/${failed.id}`, otherHeaders)).status, 404);
  const rec = await c.post(
    `/api/dashboard/webhook_endpoints/${endpoint.id}/recover`,
    { since: new Date(0).toISOString() },
    headers,
  );
  assert.equal(rec.status, 202);
  assert.equal(rec.body.count, 0);
});

test('the OpenAPI document describes the delivery log routes', async () => {
  const doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  for (const path of [
    '/api/v1/deliveries',
    '/api/v1/deliveries/{id}',
    '/api/v1/deliveries/{id}/retry',
    '/api/v1/webhook_endpoints/{id}/recover',
    '/api/dashboard/deliveries',
    '/api/dashboard/deliveries/{id}/retry',
  ]) {
    assert.ok(doc.paths[path], path);
  }
  const params = doc.paths['/api/v1/deliveries'].get.parameters.map((p: any) => p.name);
  assert.ok(params.includes('created[gte]') && params.includes('starting_after'), params.join(','));
  assert.ok(doc.components.schemas.Delivery && doc.components.schemas.DeliveryAttempt);
});
