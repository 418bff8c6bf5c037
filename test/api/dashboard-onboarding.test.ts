// GET /api/dashboard/integrations/:id (the getting-started checklist from real rows) and the
// dashboard's test event, against the real API, worker, Temporal and a signature-checking receiver.
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

let api: TestApi;
let worker: TestWorker;
const receivers: Receiver[] = [];

before(async () => {
  api = await startTestApi();
  worker = await startTestWorker();
});
after(async () => {
  await worker.stop();
  await api.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function dashboard() {
  const d = await createTestDealer(api.deps.db);
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const c = client(api.url);
  return {
    d,
    get: (path: string) => c.get(`/api/dashboard${path}`, headers),
    post: (path: string, body?: unknown) => c.post(`/api/dashboard${path}`, body ?? {}, headers),
    patch: (path: string, body: unknown) => c.patch(`/api/dashboard${path}`, body, headers),
  };
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

test('the checklist ticks itself: key generated, endpoint added, test event delivered 2xx, switched to live', async () => {
  const { get, post } = await dashboard();
  // A new integration has nothing yet (the dealer's first one comes with keys).
  const id = (await post('/integrations', { name: 'Fresh' })).body.id as string;
  const steps = async () => (await get(`/integrations/${id}`)).body.onboarding;

  const first = await get(`/integrations/${id}`);
  assert.equal(first.status, 200);
  assert.equal(first.body.id, id);
  assert.equal(first.body.live_enabled, false);
  assert.deepEqual(first.body.onboarding, {
    api_key_created: false,
    endpoint_added: false,
    test_event_delivered: false,
    live: false,
  });

  assert.equal((await post(`/integrations/${id}/api_keys`, { livemode: false })).status, 200);
  assert.equal((await steps()).api_key_created, true);

  const rx = await receiver();
  const created = await post(`/integrations/${id}/webhook_endpoints`, { url: rx.url, livemode: false });
  assert.equal(created.status, 200);
  rx.secrets.push(created.body.secret);
  assert.deepEqual(await steps(), {
    api_key_created: true,
    endpoint_added: true,
    test_event_delivered: false,
    live: false,
  });

  const ping = await post(`/integrations/${id}/webhook_endpoints/${created.body.id}/test_event`);
  assert.equal(ping.status, 200);
  assert.equal(ping.body.type, 'integration.test_event');
  assert.equal(ping.body.livemode, false);
  assert.equal(ping.body.data.object.message, 'Test event sent from the WatchTraderHub dashboard.');
  await waitUntil(async () => (await steps()).test_event_delivered, { what: 'test event delivered' });
  const got = rx.requests.find((r) => r.body?.id === ping.body.id);
  assert.ok(got, 'the receiver got the test event');
  assert.deepEqual(got.verifiedBy, [created.body.secret]);

  assert.equal((await post(`/integrations/${id}/mode`, { live: true })).status, 200);
  assert.equal((await steps()).live, true);
});

test('the dashboard test event goes to this integration’s enabled endpoints of that mode only', async () => {
  const { d, post, patch } = await dashboard();
  const other = await post('/integrations', { name: 'Other system' });
  const [a, b, otherRx] = [await receiver(), await receiver(), await receiver()];
  const epA = await post(`/integrations/${d.integration.id}/webhook_endpoints`, { url: a.url });
  const epB = await post(`/integrations/${d.integration.id}/webhook_endpoints`, { url: b.url });
  const epOther = await post(`/integrations/${other.body.id}/webhook_endpoints`, { url: otherRx.url });
  for (const [rx, ep] of [
    [a, epA],
    [b, epB],
    [otherRx, epOther],
  ] as const) {
    rx.secrets.push(ep.body.secret);
  }
  await patch(`/integrations/${d.integration.id}/webhook_endpoints/${epB.body.id}`, { status: 'disabled' });

  const ping = await post(`/integrations/${d.integration.id}/webhook_endpoints/${epA.body.id}/test_event`);
  assert.equal(ping.status, 200);
  await waitUntil(async () => a.requests.some((r) => r.body?.id === ping.body.id), { what: 'delivery to A' });
  const deliveries = await api.deps.db('deliveries').where({ event_id: ping.body.id });
  assert.deepEqual(
    deliveries.map((x) => x.endpoint_id),
    [epA.body.id],
  );
  assert.equal(b.requests.length, 0);
  assert.equal(otherRx.requests.length, 0);

  // A disabled endpoint would not get it: said so, nothing sent.
  const eventsBefore = await api.deps.db('events').where({ dealer_id: d.dealer.id }).count({ n: '*' });
  const disabled = await post(`/integrations/${d.integration.id}/webhook_endpoints/${epB.body.id}/test_event`);
  assert.equal(disabled.status, 422);
  assert.equal(disabled.body.error.code, 'endpoint_disabled');
  const eventsAfter = await api.deps.db('events').where({ dealer_id: d.dealer.id }).count({ n: '*' });
  assert.deepEqual(eventsAfter, eventsBefore);
});

test("another dealer's integration or endpoint is a 404 for the checklist and the test event", async () => {
  const mine = await dashboard();
  const theirs = await dashboard();
  const rx = await receiver();
  const ep = await theirs.post(`/integrations/${theirs.d.integration.id}/webhook_endpoints`, { url: rx.url });
  assert.equal((await mine.get(`/integrations/${theirs.d.integration.id}`)).status, 404);
  const ping = await mine.post(`/integrations/${theirs.d.integration.id}/webhook_endpoints/${ep.body.id}/test_event`);
  assert.equal(ping.status, 404);
  const crossed = await mine.post(`/integrations/${mine.d.integration.id}/webhook_endpoints/${ep.body.id}/test_event`);
  assert.equal(crossed.status, 404);
  assert.equal((await mine.get('/integrations/not-a-uuid')).status, 400);
});
