// Nothing committed is lost: worker restarts mid-delivery, events committed while no worker
// runs, a post-commit start that never happened. And the workflow code replays its own history.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import { client, waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { recordEvent } from '../../domain/events/event-store';
import { startDispatcher } from '../../worker/dispatcher';
import { deliveryWorkflowId } from '../../lib/temporal/contract';
import { addEndpoint, attemptsOf, deliveriesOf, emitEvent, FAST, settled } from './fixtures';

let api: TestApi;
let worker: TestWorker | null = null;
const receivers: Receiver[] = [];

before(async () => {
  api = await startTestApi(FAST);
});
after(async () => {
  await worker?.stop();
  await api.close();
  await Promise.all(receivers.map((r) => r.close()));
});

const startWorker = async () => {
  worker = await startTestWorker(FAST);
};
const stopWorker = async () => {
  await worker?.stop();
  worker = null;
};

test('a worker stopped mid-delivery and restarted delivers everything, nothing lost or doubled', async () => {
  await startWorker();
  const { dealer, integration } = await createTestDealer(api.deps.db);
  // Each event's first attempt fails; the very first request hangs until the attempt times out,
  // so the worker is asked to stop with a POST in flight.
  const firstSeen = new Set<string>();
  const rx = await startReceiver({
    reply: (r) => {
      const id = r.body?.id as string;
      if (firstSeen.has(id)) return { status: 200 };
      firstSeen.add(id);
      return r.n === 1 ? { status: 200, hang: true } : { status: 500 };
    },
  });
  receivers.push(rx);
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const before = [];
  for (let i = 0; i < 5; i++) before.push(await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' }));
  await waitUntil(async () => rx.requests.length >= 5, { what: 'first attempts in flight or done' });

  await stopWorker();
  // Committed while no worker runs: the workflows are started and wait for one.
  const during = [];
  for (let i = 0; i < 3; i++) during.push(await emitEvent(api, { dealerId: dealer.id, type: 'order.cancelled' }));
  for (const e of during) {
    const row = await api.deps.db('events').where({ id: e.id }).first();
    assert.ok(row.workflow_started_at, 'started in Temporal while the worker is down');
  }

  await startWorker();
  for (const e of [...before, ...during]) {
    assert.equal((await settled(api, e.id, endpoint.id)).status, 'succeeded', e.id);
  }
  for (const e of [...before, ...during]) {
    const [d] = await deliveriesOf(api, e.id);
    const attempts = await attemptsOf(api, d!.id);
    // Attempt numbers are contiguous: no attempt was lost or recorded twice.
    assert.deepEqual(
      attempts.map((a) => a.attempt_number),
      attempts.map((_, i) => i + 1),
    );
    assert.equal(attempts[attempts.length - 1]!.status_code, 200);
    // The receiver saw exactly the recorded attempts: none sent without being logged.
    assert.equal(rx.requests.filter((r) => r.body?.id === e.id).length, attempts.length);
  }
  // The hung request was recorded as a timeout, then retried.
  const hung = rx.requests[0]!.body.id as string;
  const [hd] = await deliveriesOf(api, hung);
  const [a1] = await attemptsOf(api, hd!.id);
  assert.match(a1!.error ?? '', /timed out/);
  await stopWorker();
});

test('an event whose post-commit start never happened is delivered once the worker (and its dispatcher) is back', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const rx = await startReceiver();
  receivers.push(rx);
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  // Committed without a start, as if the API died right after COMMIT, while no worker runs.
  const orphan = await recordEvent(api.deps.db, {
    dealerId: dealer.id,
    livemode: false,
    type: 'listing.sold',
    object: { id: 'l_1', object: 'listing' },
    origin: 'dashboard',
  });
  await startWorker();
  const dispatcher = startDispatcher(
    { db: api.deps.db, starter: api.deps.eventStarter, logger: api.deps.logger },
    { intervalMs: 100, graceMs: 0 },
  );
  try {
    assert.equal((await settled(api, orphan.id, endpoint.id)).status, 'succeeded');
  } finally {
    await dispatcher.stop();
  }
  assert.equal(rx.requests.length, 1);
  assert.deepEqual(rx.requests[0]!.verifiedBy, [secret]);
  await stopWorker();
});

test('the delivery workflow replays its recorded history (retries, a manual wake) deterministically', async () => {
  await startWorker();
  const { dealer, integration, keys } = await createTestDealer(api.deps.db);
  const rx = await startReceiver({ reply: (r) => ({ status: r.n <= 2 ? 503 : 200, headers: { 'retry-after': '1' } }) });
  receivers.push(rx);
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  await waitUntil(async () => rx.requests.length >= 1, { what: 'first attempt' });
  const [d] = await deliveriesOf(api, ev.id);
  // Wake it by hand once, through the API.
  await client(api.url, keys.test.key).post(`/api/v1/deliveries/${d!.id}/retry`);
  assert.equal((await settled(api, ev.id, endpoint.id)).status, 'succeeded');
  const handle = api.deps.temporal.workflow.getHandle(deliveryWorkflowId(d!.id));
  await handle.result();
  const history = await handle.fetchHistory();
  const codePath = api.deps.config.WORKFLOW_BUNDLE_PATH;
  assert.ok(codePath, 'tests run with a prebuilt bundle');
  await Worker.runReplayHistory({ workflowBundle: { codePath } }, history, deliveryWorkflowId(d!.id));
  await stopWorker();
});
