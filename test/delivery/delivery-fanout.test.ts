// Many endpoints per event, isolation between endpoints, and auto-disable of an endpoint that
// has only failed for WEBHOOK_DISABLE_AFTER_MS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { deliveryWorkflowId } from '../../lib/temporal/contract';
import { addEndpoint, attemptsOf, deliveriesOf, emitEvent, settled } from './fixtures';

const CONFIG = {
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '300,300,300,300,300,300',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_ATTEMPT_TIMEOUT_MS: '20000',
  WEBHOOK_DISABLE_AFTER_MS: '1000',
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: '2',
  // 120 endpoints take three event workflow runs (continue-as-new with the rest of the plan).
  WEBHOOK_FANOUT_STARTS_PER_RUN: '50',
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

test('one event fans out to 120 endpoints over three runs: one delivery workflow each, every endpoint served once', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await startReceiver({ reply: () => ({ status: 200 }) });
  receivers.push(rx);
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) {
    const { endpoint } = await addEndpoint(api, {
      dealerId: dealer.id,
      integrationId: integration.id,
      url: `${rx.url}?endpoint=${i}`,
    });
    ids.push(endpoint.id);
  }
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.published' });
  const result = await api.deps.temporal.workflow.getHandle(`event:${ev.id}`).result();
  assert.equal(result.deliveries, 20, 'the last run started the last 20');
  // Visibility is eventually consistent: wait until every closed run is listed.
  const runs = await waitUntil(
    async () => {
      let n = 0;
      for await (const _ of api.deps.temporal.workflow.list({ query: `WorkflowId="event:${ev.id}"` })) n++;
      return n >= 3 && n;
    },
    { what: 'three event workflow runs listed' },
  );
  assert.equal(runs, 3);
  await waitUntil(
    async () => {
      const rows = await deliveriesOf(api, ev.id);
      return rows.length === 120 && rows.every((d) => d.status === 'succeeded');
    },
    { timeoutMs: 120_000, what: '120 deliveries to succeed' },
  );
  const rows = await deliveriesOf(api, ev.id);
  assert.deepEqual(rows.map((d) => d.endpoint_id).sort(), [...ids].sort());
  assert.equal(rx.requests.length, 120);
  const handles = await Promise.all(
    rows.slice(0, 3).map((d) => api.deps.temporal.workflow.getHandle(deliveryWorkflowId(d.id)).describe()),
  );
  for (const h of handles) assert.equal(h.type, 'deliveryWorkflow');
});

test('a slow endpoint does not delay another endpoint of the same event', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  const slow = await startReceiver({
    reply: async () => {
      await released;
      return { status: 200 };
    },
  });
  const fast = await startReceiver({ reply: () => ({ status: 200 }) });
  receivers.push(slow, fast);
  const eSlow = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: slow.url });
  const eFast = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: fast.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  try {
    await waitUntil(async () => slow.requests.length === 1, { what: 'slow endpoint to be called' });
    // The fast endpoint is served while the slow one still holds its request.
    assert.equal((await settled(api, ev.id, eFast.endpoint.id)).status, 'succeeded');
    const [slowDelivery] = (await deliveriesOf(api, ev.id)).filter((d) => d.endpoint_id === eSlow.endpoint.id);
    assert.equal(slowDelivery!.status, 'pending');
    assert.equal(slowDelivery!.attempt_count, 0);
  } finally {
    release();
  }
  assert.equal((await settled(api, ev.id, eSlow.endpoint.id)).status, 'succeeded');
});

test('a slow endpoint gets at most its in-flight share; the rest wait without using attempts', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  let inFlight = 0;
  let maxInFlight = 0;
  const slow = await startReceiver({
    reply: async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await released;
      inFlight--;
      return { status: 200 };
    },
  });
  const fast = await startReceiver({ reply: () => ({ status: 200 }) });
  receivers.push(slow, fast);
  const eSlow = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: slow.url });
  const eFast = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: fast.url });
  const events = [];
  try {
    for (let i = 0; i < 5; i++) events.push(await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' }));
    for (const e of events) assert.equal((await settled(api, e.id, eFast.endpoint.id)).status, 'succeeded');
    await waitUntil(async () => slow.requests.length === 2, { what: 'two requests held by the slow endpoint' });
    // Everything for the fast endpoint went through while the slow one held its two.
    assert.equal(slow.requests.length, 2);
  } finally {
    release();
  }
  for (const e of events) assert.equal((await settled(api, e.id, eSlow.endpoint.id)).status, 'succeeded');
  assert.equal(maxInFlight, 2);
  assert.equal(slow.requests.length, 5);
  for (const e of events) {
    const [d] = (await deliveriesOf(api, e.id)).filter((x) => x.endpoint_id === eSlow.endpoint.id);
    assert.equal(d!.attempt_count, 1, 'a deferred attempt is not an attempt');
  }
});

test('an endpoint that has only failed for WEBHOOK_DISABLE_AFTER_MS is disabled with a reason; a healthy one is not', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const dead = await startReceiver({ reply: () => ({ status: 500 }) });
  const alive = await startReceiver({ reply: () => ({ status: 200 }) });
  receivers.push(dead, alive);
  const eDead = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: dead.url });
  const eAlive = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: alive.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'order.cancelled' });
  const d = await settled(api, ev.id, eDead.endpoint.id);
  assert.equal(d.status, 'failed');
  const attempts = await attemptsOf(api, d.id);
  // Stopped by the disable rule (1 s of failures), before the 7 scheduled attempts ran out.
  assert.ok(attempts.length < 7, `${attempts.length} attempts`);
  const last = attempts[attempts.length - 1]!;
  assert.ok(last.started_at.getTime() - attempts[0]!.started_at.getTime() >= 1000);
  const row = await api.deps.db('webhook_endpoints').where({ id: eDead.endpoint.id }).first();
  assert.equal(row.status, 'disabled');
  assert.match(row.disabled_reason, /failed; the endpoint was disabled/);
  assert.ok(row.disabled_at);
  assert.equal((await settled(api, ev.id, eAlive.endpoint.id)).status, 'succeeded');
  const healthy = await api.deps.db('webhook_endpoints').where({ id: eAlive.endpoint.id }).first();
  assert.equal(healthy.status, 'enabled');
});
