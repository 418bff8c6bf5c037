// A delivery workflow terminated by hand in Temporal leaves its row pending; the worker's
// reconciler settles it as failed with the reason in the delivery log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { deliveryWorkflowId } from '../../lib/temporal/contract';
import { reconcilePendingDeliveries } from '../../domain/webhooks/delivery-reconciler';
import { startReconciler } from '../../worker/reconciler';
import { addEndpoint, attemptsOf, deliveriesOf, emitEvent, FAST } from './fixtures';

// The first attempt fails, then the delivery waits ten minutes: pending, its workflow running.
const CONFIG = { ...FAST, WEBHOOK_RETRY_SCHEDULE_TEST_MS: '600000' };

let api: TestApi;
let worker: TestWorker;
let rx: Receiver;

before(async () => {
  api = await startTestApi(CONFIG);
  worker = await startTestWorker(CONFIG);
  rx = await startReceiver({ reply: () => ({ status: 500 }) });
});
after(async () => {
  await worker.stop();
  await api.close();
  await rx.close();
});

async function waitingDelivery() {
  const created = await createTestDealer(api.deps.db);
  const { dealer, integration } = created;
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await waitUntil(
    async () => {
      const [row] = await deliveriesOf(api, ev.id);
      return row && row.attempt_count === 1 && row.status === 'pending' ? row : null;
    },
    { what: 'the first attempt to fail' },
  );
  return { created, endpoint, delivery: d };
}

test('a terminated delivery workflow: the reconciler settles its pending row as failed, with the reason', async () => {
  const { created, delivery } = await waitingDelivery();
  const other = await waitingDelivery();
  await api.deps.temporal.workflow.getHandle(deliveryWorkflowId(delivery.id)).terminate('stuck receiver, cleaned up');

  const reconciler = startReconciler(
    { db: api.deps.db, temporal: api.deps.temporal, logger: api.deps.logger },
    { intervalMs: 100, batchSize: 2 },
  );
  try {
    const settled = await waitUntil(
      async () => {
        const row = await api.deps.db('deliveries').where({ id: delivery.id }).first();
        return row.status === 'failed' ? row : null;
      },
      { what: 'the reconciler to settle the delivery' },
    );
    assert.equal(settled.next_attempt_at, null);
    assert.equal(
      settled.status_reason,
      "The delivery's workflow was terminated in Temporal before it finished: stuck receiver, cleaned up.",
    );
    // The delivery log says so.
    const got = await client(api.url, created.keys.test.key).get(`/api/v1/deliveries/${delivery.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.status, 'failed');
    assert.match(got.body.status_reason, /terminated in Temporal.*stuck receiver/);
    assert.equal((await attemptsOf(api, delivery.id)).length, 1);
  } finally {
    await reconciler.stop();
  }
  // A delivery whose workflow is still waiting is left alone.
  const untouched = await api.deps.db('deliveries').where({ id: other.delivery.id }).first();
  assert.equal(untouched.status, 'pending');
  assert.equal(untouched.status_reason, null);
  await api.deps.temporal.workflow.getHandle(deliveryWorkflowId(other.delivery.id)).terminate('test cleanup');
});

test('a pass is bounded and continues where the last one stopped', async () => {
  const a = await waitingDelivery();
  const pass = await reconcilePendingDeliveries(api.deps, { cursor: '0', limit: 1 });
  assert.equal(pass.checked, 1);
  assert.notEqual(pass.nextCursor, '0');
  const next = await reconcilePendingDeliveries(api.deps, { cursor: pass.nextCursor, limit: 1_000 });
  assert.ok(next.checked >= 1);
  assert.equal(next.nextCursor, '0', 'a short batch wraps around');
  await api.deps.temporal.workflow.getHandle(deliveryWorkflowId(a.delivery.id)).terminate('test cleanup');
});
