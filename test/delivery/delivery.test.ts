import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { client, waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { EVENT_TYPES } from '../../domain/events/catalog';
import { rotateSecret } from '../../domain/webhooks/endpoint-store';
import { deliveryWorkflowId } from '../../lib/temporal/contract';
import { addEndpoint, attemptsOf, deliveriesOf, emitEvent, FAST, integrationId, settled } from './fixtures';

let api: TestApi;
let worker: TestWorker;
const receivers: Receiver[] = [];

before(async () => {
  api = await startTestApi(FAST);
  worker = await startTestWorker(FAST);
});
after(async () => {
  await worker.stop();
  await api.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(opts: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const r = await startReceiver(opts);
  receivers.push(r);
  return r;
}

test('every event type reaches a subscribed receiver once, correctly signed, with the envelope', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await receiver();
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  const events = [];
  for (const type of EVENT_TYPES) {
    // A test event only reaches the pinging integration's endpoints.
    events.push(
      await emitEvent(api, { dealerId: dealer.id, type, originIntegrationId: integration.id, origin: 'api' }),
    );
  }
  // Echo suppression keeps order.received / customer.matched written through this key away.
  const expected = events.filter((e) => e.type !== 'order.received' && e.type !== 'customer.matched');
  for (const e of expected) assert.equal((await settled(api, e.id, endpoint.id)).status, 'succeeded');
  await waitUntil(async () => rx.requests.length >= expected.length, { what: 'all requests' });
  assert.equal(rx.requests.length, expected.length, 'each event exactly once');
  for (const e of expected) {
    const got = rx.requests.filter((r) => r.body?.id === e.id);
    assert.equal(got.length, 1, e.type);
    const r = got[0]!;
    assert.deepEqual(r.verifiedBy, [secret], 'signature verifies with the endpoint secret');
    assert.equal(r.v1Count, 1);
    assert.ok(Math.abs(r.timestamp - Date.now() / 1000) < 300, 'timestamp inside the replay window');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['wth-event-id'], e.id);
    assert.equal(r.headers['wth-event-type'], e.type);
    assert.equal(r.headers['wth-attempt'], '1');
    assert.match(String(r.headers['user-agent']), /^WatchTraderHub-Webhooks\//);
    assert.deepEqual(Object.keys(r.body), ['id', 'object', 'type', 'api_version', 'created_at', 'livemode', 'data']);
    assert.equal(r.body.object, 'event');
    assert.equal(r.body.type, e.type);
    assert.equal(r.body.livemode, false);
  }
  const first = (await deliveriesOf(api, expected[0]!.id))[0]!;
  assert.equal(first.attempt_count, 1);
  assert.equal(first.last_status_code, 200);
  assert.equal(first.next_attempt_at, null);
  const [attempt] = await attemptsOf(api, first.id);
  assert.equal(attempt!.status_code, 200);
  assert.equal(attempt!.trigger, 'automatic');
  assert.equal(attempt!.response_body_preview, 'ok');
  assert.match(attempt!.signature_header, /^t=\d+,v1=[0-9a-f]{64}$/);
  // Operators find the delivery by its search attributes.
  const handle = api.deps.temporal.workflow.getHandle(deliveryWorkflowId(first.id));
  assert.equal((await handle.result()).status, 'succeeded');
  // Visibility is eventually consistent: wait for the upserted status to show.
  const desc = await waitUntil(
    async () => {
      const dsc = await handle.describe();
      return dsc.searchAttributes.WthDeliveryStatus?.[0] === 'succeeded' && dsc;
    },
    { what: 'search attributes' },
  );
  assert.equal(desc.status.name, 'COMPLETED');
  assert.deepEqual(desc.searchAttributes.WthEndpointId, [endpoint.id]);
});

test('subscriptions and wildcards filter; other modes and dealers get nothing', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  const all = await receiver();
  const listings = await receiver();
  const exact = await receiver();
  const live = await receiver();
  const foreign = await receiver();
  const base = { dealerId: dealer.id, integrationId: integration.id };
  const eAll = await addEndpoint(api, { ...base, url: all.url });
  const eListings = await addEndpoint(api, { ...base, url: listings.url, enabledEvents: ['listing.*'] });
  const eExact = await addEndpoint(api, { ...base, url: exact.url, enabledEvents: ['order.fulfilled'] });
  await addEndpoint(api, { ...base, url: live.url, livemode: true });
  await addEndpoint(api, { dealerId: other.dealer.id, integrationId: other.integration.id, url: foreign.url });
  for (const [r, e] of [
    [all, eAll],
    [listings, eListings],
    [exact, eExact],
  ] as const)
    r.secrets.push(e.secret);

  const sold = await emitEvent(api, { dealerId: dealer.id, type: 'listing.sold' });
  const fulfilled = await emitEvent(api, { dealerId: dealer.id, type: 'order.fulfilled' });
  const cancelled = await emitEvent(api, { dealerId: dealer.id, type: 'order.cancelled' });
  for (const ev of [sold, fulfilled, cancelled]) await settled(api, ev.id, eAll.endpoint.id);
  await settled(api, sold.id, eListings.endpoint.id);
  await settled(api, fulfilled.id, eExact.endpoint.id);
  // Every event workflow has finished planning before counting what was not planned.
  for (const ev of [sold, fulfilled, cancelled]) {
    await api.deps.temporal.workflow.getHandle(`event:${ev.id}`).result();
  }
  const ids = (r: Receiver) => r.requests.map((q) => q.body.type).sort();
  assert.deepEqual(ids(all), ['listing.sold', 'order.cancelled', 'order.fulfilled']);
  assert.deepEqual(ids(listings), ['listing.sold']);
  assert.deepEqual(ids(exact), ['order.fulfilled']);
  assert.equal(live.requests.length, 0);
  assert.equal(foreign.requests.length, 0);
  assert.equal((await deliveriesOf(api, cancelled.id)).length, 1);
});

test('echo suppression: API writes do not come back to the writing integration; other origins do', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const shopify = await integrationId(api, dealer.id, 'shopify');
  const mine = await receiver();
  const theirs = await receiver();
  const eMine = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: mine.url });
  const eTheirs = await addEndpoint(api, { dealerId: dealer.id, integrationId: shopify, url: theirs.url });
  mine.secrets.push(eMine.secret);
  theirs.secrets.push(eTheirs.secret);
  const fromApi = await emitEvent(api, {
    dealerId: dealer.id,
    type: 'order.received',
    origin: 'api',
    originIntegrationId: integration.id,
  });
  const fromShopify = await emitEvent(api, {
    dealerId: dealer.id,
    type: 'customer.matched',
    origin: 'shopify',
    originIntegrationId: shopify,
  });
  await settled(api, fromApi.id, eTheirs.endpoint.id);
  await settled(api, fromShopify.id, eMine.endpoint.id);
  await settled(api, fromShopify.id, eTheirs.endpoint.id);
  await api.deps.temporal.workflow.getHandle(`event:${fromApi.id}`).result();
  const planned = await deliveriesOf(api, fromApi.id);
  assert.deepEqual(
    planned.map((d) => d.endpoint_id),
    [eTheirs.endpoint.id],
  );
  assert.deepEqual(
    mine.requests.map((r) => r.body.id),
    [fromShopify.id],
  );
});

test('test ping reaches only the pinging integration, ignoring subscriptions', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const ebay = await integrationId(api, dealer.id, 'ebay');
  const mine = await receiver();
  const theirs = await receiver();
  const eMine = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: mine.url,
    enabledEvents: ['listing.sold'],
  });
  await addEndpoint(api, { dealerId: dealer.id, integrationId: ebay, url: theirs.url });
  mine.secrets.push(eMine.secret);
  const ping = await emitEvent(api, {
    dealerId: dealer.id,
    type: 'integration.test_event',
    origin: 'api',
    originIntegrationId: integration.id,
  });
  assert.equal((await settled(api, ping.id, eMine.endpoint.id)).status, 'succeeded');
  await api.deps.temporal.workflow.getHandle(`event:${ping.id}`).result();
  assert.equal((await deliveriesOf(api, ping.id)).length, 1);
  assert.equal(theirs.requests.length, 0);
});

test("POST /api/v1/test/webhook_ping reaches the calling integration's endpoints in its mode only", async () => {
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  const shopify = await integrationId(api, dealer.id, 'shopify');
  const mine = await receiver();
  const live = await receiver();
  const theirs = await receiver();
  const eMine = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: mine.url,
    enabledEvents: ['order.*'],
  });
  await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: live.url, livemode: true });
  await addEndpoint(api, { dealerId: dealer.id, integrationId: shopify, url: theirs.url });
  mine.secrets.push(eMine.secret);
  const res = await client(api.url, keys.test.key).post('/api/v1/test/webhook_ping', {});
  assert.equal(res.status, 200);
  assert.equal(res.body.type, 'integration.test_event');
  assert.equal((await settled(api, res.body.id, eMine.endpoint.id)).status, 'succeeded');
  await api.deps.temporal.workflow.getHandle(`event:${res.body.id}`).result();
  assert.equal((await deliveriesOf(api, res.body.id)).length, 1);
  assert.deepEqual(mine.requests[0]!.verifiedBy, [eMine.secret]);
  assert.equal(mine.requests[0]!.body.id, res.body.id);
  assert.equal(live.requests.length + theirs.requests.length, 0);
});

test('a receiver failing its first attempts gets the event on the next one; the log shows every attempt', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await receiver({
    reply: (r) => (r.n <= 3 ? { status: 500, body: `boom ${r.n} ${'x'.repeat(10_000)}` } : { status: 204 }),
  });
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'succeeded');
  assert.equal(d.attempt_count, 4);
  assert.equal(d.last_status_code, 204);
  const attempts = await attemptsOf(api, d.id);
  assert.deepEqual(
    attempts.map((a) => [a.attempt_number, a.status_code, a.trigger]),
    [
      [1, 500, 'automatic'],
      [2, 500, 'automatic'],
      [3, 500, 'automatic'],
      [4, 204, 'automatic'],
    ],
  );
  for (const a of attempts.slice(0, 3)) {
    assert.match(a.response_body_preview ?? '', new RegExp(`^boom ${a.attempt_number} x+$`));
    assert.ok(Buffer.byteLength(a.response_body_preview ?? '') <= api.deps.config.WEBHOOK_RESPONSE_PREVIEW_BYTES);
  }
  assert.equal(attempts[3]!.response_body_preview, null);
  // Every attempt carries the same event id; the attempt header counts up.
  assert.deepEqual(
    rx.requests.map((r) => [r.body.id, r.headers['wth-attempt']]),
    [1, 2, 3, 4].map((n) => [ev.id, String(n)]),
  );
  // Waits follow the schedule (200, 400, 800 ms without jitter): each gap at least its step, growing.
  const gaps = attempts.slice(1).map((a, i) => a.started_at.getTime() - attempts[i]!.started_at.getTime());
  gaps.forEach((g, i) => assert.ok(g >= [200, 400, 800][i]!, `gap ${i} ${g}`));
});

test('retries run out: the delivery fails after the schedule, next_attempt_at grows then clears', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await receiver({ reply: () => ({ status: 500 }) });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const planned: number[] = [];
  await waitUntil(
    async () => {
      const [d] = await deliveriesOf(api, ev.id);
      if (d?.next_attempt_at && d.last_attempt_at) {
        const gap = d.next_attempt_at.getTime() - d.last_attempt_at.getTime();
        if (planned[planned.length - 1] !== gap) planned.push(gap);
      }
      return d && d.status !== 'pending';
    },
    { intervalMs: 20, what: 'delivery to fail' },
  );
  const [d] = await deliveriesOf(api, ev.id);
  assert.equal(d!.status, 'failed');
  assert.equal(d!.attempt_count, 4);
  assert.equal(d!.next_attempt_at, null);
  assert.ok(planned.length >= 2, `saw planned waits ${planned}`);
  for (let i = 1; i < planned.length; i++) assert.ok(planned[i]! > planned[i - 1]!, `growing: ${planned}`);
  const endpointRow = await api.deps.db('webhook_endpoints').where({ id: endpoint.id }).first();
  assert.equal(endpointRow.status, 'enabled', 'a few failures do not disable the endpoint');
  const handle = api.deps.temporal.workflow.getHandle(deliveryWorkflowId(d!.id));
  assert.equal((await handle.result()).status, 'failed');
  const status = await waitUntil(
    async () => {
      const sa = (await handle.describe()).searchAttributes.WthDeliveryStatus;
      return sa?.[0] === 'failed' && sa;
    },
    { what: 'search attribute to reach visibility' },
  );
  assert.deepEqual(status, ['failed']);
});

test('Retry-After on 429 is honoured as max(backoff, Retry-After)', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await receiver({
    reply: (r) => (r.n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }),
  });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'succeeded');
  const [a1, a2] = await attemptsOf(api, d.id);
  assert.equal(a1!.status_code, 429);
  const gap = a2!.started_at.getTime() - a1!.started_at.getTime();
  assert.ok(gap >= 2000, `waited ${gap} ms, Retry-After asked for 2000 (backoff was 200)`);
});

test('410 Gone stops the delivery and disables the endpoint with a reason', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await receiver({ reply: () => ({ status: 410 }) });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'failed');
  assert.equal(d.attempt_count, 1);
  const row = await api.deps.db('webhook_endpoints').where({ id: endpoint.id }).first();
  assert.equal(row.status, 'disabled');
  assert.match(row.disabled_reason, /410/);
  // Later events are not planned for a disabled endpoint.
  const later = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  await api.deps.temporal.workflow.getHandle(`event:${later.id}`).result();
  assert.equal((await deliveriesOf(api, later.id)).length, 0);
  assert.equal(rx.requests.length, 1);
});

test('a redirect is a failed attempt and is not followed', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const target = await receiver();
  const rx = await receiver({
    reply: (r) => (r.n === 1 ? { status: 302, headers: { location: target.url } } : { status: 200 }),
  });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  const attempts = await attemptsOf(api, d.id);
  assert.deepEqual(
    attempts.map((a) => a.status_code),
    [302, 200],
  );
  assert.equal(attempts[0]!.error, 'redirect not followed');
  assert.equal(target.requests.length, 0);
});

test('a receiver that never answers times out; the attempt records the network error', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await receiver({ reply: (r) => (r.n === 1 ? { status: 200, hang: true } : { status: 200 }) });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'succeeded');
  const [a1, a2] = await attemptsOf(api, d.id);
  assert.equal(a1!.status_code, null);
  assert.match(a1!.error ?? '', /timed out after 1500 ms/);
  assert.equal(a2!.status_code, 200);
});

test('a disabled endpoint stops a delivery waiting to retry', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  let endpointId = '';
  const rx = await receiver({
    reply: async () => {
      // The dealer disables the endpoint while the first attempt is in flight.
      await api.deps.db('webhook_endpoints').where({ id: endpointId }).update({ status: 'disabled' });
      return { status: 503 };
    },
  });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  endpointId = endpoint.id;
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'failed');
  assert.equal(d.attempt_count, 1);
  assert.equal(d.next_attempt_at, null);
  assert.equal(rx.requests.length, 1);
});

test('rotation during retries: the next attempt carries both secrets, after the grace only the new one', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const db = api.deps.db;
  let endpointId = '';
  let newSecret = '';
  const rx = await receiver({
    reply: async (r) => {
      if (r.n === 1) {
        // The dealer rotates with a one-hour grace period while the first attempt is in flight.
        newSecret = (await rotateSecret(db, api.deps.config.secretsKey, endpointId, 3_600_000)).secret;
        rx.secrets.push(newSecret);
      }
      // The grace period is over before the third attempt.
      if (r.n === 2) {
        await db('webhook_endpoint_secrets')
          .where({ endpoint_id: endpointId })
          .whereNotNull('expires_at')
          .update({ expires_at: db.raw("now() - interval '1 second'") });
      }
      return { status: r.n <= 2 ? 500 : 200 };
    },
  });
  const { endpoint, secret: oldSecret } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
  });
  endpointId = endpoint.id;
  rx.secrets.push(oldSecret);
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'succeeded');
  const [first, second, third] = rx.requests;
  assert.deepEqual(first!.verifiedBy, [oldSecret]);
  assert.equal(second!.v1Count, 2, 'both valid secrets sign during the grace period');
  assert.deepEqual(second!.verifiedBy.sort(), [oldSecret, newSecret].sort());
  const newestFirst = createHmac('sha256', newSecret).update(`${second!.timestamp}.${second!.rawBody}`).digest('hex');
  assert.equal(String(second!.headers['wth-signature']).split(',')[1], `v1=${newestFirst}`, 'newest secret first');
  assert.equal(third!.v1Count, 1);
  assert.deepEqual(third!.verifiedBy, [newSecret]);
});
