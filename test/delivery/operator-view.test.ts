// What an operator sees in Temporal UI: the list queries its filters run (proved here with the
// same visibility API), workflow ids, memo, summaries, and one activity per HTTP attempt.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { waitUntil } from '../helpers/http';
import { activityRuns } from '../helpers/history';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { retryDelivery } from '../../domain/webhooks/delivery-service';
import { addEndpoint, attemptsOf, deliveriesOf, emitEvent, FAST, settled } from './fixtures';

// Test mode retries quickly and runs out; live mode waits long after its first failure, so a
// live delivery stays pending (Running) while the test looks at it.
const SCHEDULES = { ...FAST, WEBHOOK_RETRY_SCHEDULE_LIVE_MS: '600000' };

let api: TestApi;
let worker: TestWorker;
const receivers: Receiver[] = [];

before(async () => {
  api = await startTestApi(SCHEDULES);
  worker = await startTestWorker(SCHEDULES);
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

async function list(query: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const w of api.deps.temporal.workflow.list({ query })) found.push(w);
  return found;
}

/** Visibility lags the workflows: poll until the query answers exactly these workflow ids. */
async function listUntil(query: string, expectedIds: string[]): Promise<WorkflowExecutionInfo[]> {
  const want = [...expectedIds].sort();
  let last: string[] = [];
  try {
    return await waitUntil(
      async () => {
        const found = await list(query);
        last = found.map((w) => w.workflowId).sort();
        return JSON.stringify(last) === JSON.stringify(want) && found;
      },
      { what: query },
    );
  } catch (err) {
    assert.deepEqual(last, want, `${query} (${(err as Error).message})`);
    throw err;
  }
}

test('an operator finds a dealer’s event and deliveries by the Temporal UI filters', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const ok = await receiver({ reply: () => ({ status: 200 }) });
  const down = await receiver({ reply: () => ({ status: 500 }) });
  const liveDown = await receiver({ reply: () => ({ status: 502 }) });
  const base = { dealerId: dealer.id, integrationId: integration.id };
  const eOk = await addEndpoint(api, { ...base, url: ok.url });
  const eDown = await addEndpoint(api, { ...base, url: down.url });
  const eLive = await addEndpoint(api, { ...base, url: liveDown.url, livemode: true });

  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'order.cancelled' });
  const liveEv = await emitEvent(api, { dealerId: dealer.id, type: 'order.cancelled', livemode: true });
  assert.equal((await settled(api, ev.id, eOk.endpoint.id)).status, 'succeeded');
  assert.equal((await settled(api, ev.id, eDown.endpoint.id)).status, 'failed');
  const deliveries = await deliveriesOf(api, ev.id);
  const ok1 = deliveries.find((d) => d.endpoint_id === eOk.endpoint.id)!;
  const down1 = deliveries.find((d) => d.endpoint_id === eDown.endpoint.id)!;
  const pending = await waitUntil(
    async () => {
      const [d] = await deliveriesOf(api, liveEv.id);
      return d && d.attempt_count === 1 && d.status === 'pending' && d;
    },
    { what: 'live delivery waiting for its second attempt' },
  );
  assert.equal(pending.endpoint_id, eLive.endpoint.id);

  const evWf = `event:${ev.id}`;
  const liveEvWf = `event:${liveEv.id}`;
  const okWf = `delivery:${ok1.id}`;
  const downWf = `delivery:${down1.id}`;
  const pendingWf = `delivery:${pending.id}`;
  const d = `WthDealerId = '${dealer.id}'`;

  // A dealer: both events and all three deliveries.
  await listUntil(d, [evWf, liveEvWf, okWf, downWf, pendingWf]);
  // By workflow type.
  const events = await listUntil(`WorkflowType = 'eventWorkflow' AND ${d}`, [evWf, liveEvWf]);
  await listUntil(`WorkflowType = 'deliveryWorkflow' AND ${d}`, [okWf, downWf, pendingWf]);
  // By event id and type, and by mode.
  await listUntil(`WthEventId = '${ev.id}'`, [evWf, okWf, downWf]);
  await listUntil(`WthEventType = 'order.cancelled' AND ${d}`, [evWf, liveEvWf, okWf, downWf, pendingWf]);
  await listUntil(`WthEventType = 'listing.sold' AND ${d}`, []);
  await listUntil(`WthLivemode = true AND ${d}`, [liveEvWf, pendingWf]);
  // By endpoint.
  const byEndpoint = await listUntil(`WthEndpointId = '${eDown.endpoint.id}'`, [downWf]);
  // By delivery status, as the workflow upserts it ('pending' from the start until it finishes).
  await listUntil(`WthDeliveryStatus = 'succeeded' AND ${d}`, [okWf]);
  await listUntil(`WthDeliveryStatus = 'failed' AND ${d}`, [downWf]);
  await listUntil(`WthDeliveryStatus = 'pending' AND ${d}`, [pendingWf]);
  await listUntil(`WthDeliveryStatus = 'pending' AND ExecutionStatus = 'Running' AND ${d}`, [pendingWf]);
  await listUntil(`WorkflowType = 'deliveryWorkflow' AND ExecutionStatus = 'Completed' AND ${d}`, [okWf, downWf]);
  // A failing endpoint's failed deliveries: the query for an incident.
  await listUntil(`WthEndpointId = '${eDown.endpoint.id}' AND WthDeliveryStatus = 'failed'`, [downWf]);

  // Memo and summary say what a row is without opening it.
  const [downInfo] = byEndpoint;
  assert.equal(downInfo!.type, 'deliveryWorkflow');
  assert.deepEqual(downInfo!.memo, {
    deliveryId: down1.id,
    eventId: ev.id,
    eventType: 'order.cancelled',
    endpointId: eDown.endpoint.id,
  });
  assert.equal(events.find((w) => w.workflowId === evWf)!.type, 'eventWorkflow');
  const client = api.deps.temporal.workflow;
  assert.equal(
    await (await client.getHandle(downWf).describe()).staticSummary(),
    `order.cancelled ${ev.id} → ${eDown.endpoint.id}`,
  );
  assert.equal(await (await client.getHandle(evWf).describe()).staticSummary(), `order.cancelled ${ev.id}`);

  // Every HTTP attempt is one attemptDelivery (local) activity in the history, as many as log rows.
  for (const [wf, dlv, n] of [
    [okWf, ok1.id, 1],
    [downWf, down1.id, 4],
    [pendingWf, pending.id, 1],
  ] as const) {
    const rows = await attemptsOf(api, dlv);
    assert.equal(rows.length, n, `${wf} attempt rows`);
    const history = await client.getHandle(wf).fetchHistory();
    assert.equal(activityRuns(history, 'attemptDelivery'), rows.length, `${wf} activities`);
  }
  assert.equal(down.requests.length, 4);

  await client.getHandle(pendingWf).terminate('test finished');
});

test('a manual re-send is a new run of the same delivery id; its runs together hold every attempt', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  let healthy = false;
  const rx = await receiver({ reply: () => ({ status: healthy ? 200 : 500 }) });
  const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: rx.url });
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const failed = await settled(api, ev.id, endpoint.id);
  assert.equal(failed.status, 'failed');
  const wf = `delivery:${failed.id}`;
  const first = await api.deps.temporal.workflow.getHandle(wf).result();
  assert.equal(first.status, 'failed');

  healthy = true;
  await retryDelivery(api.deps, { dealerId: dealer.id, livemode: false }, failed.id);
  const resent = await waitUntil(
    async () => {
      const [dl] = await deliveriesOf(api, ev.id);
      return dl && dl.status === 'succeeded' && dl;
    },
    { what: 're-send to succeed' },
  );
  assert.equal(resent.attempt_count, 5);

  // Both runs carry the id; the status filter finds each run by how it ended.
  const runs = await waitUntil(
    async () => {
      const found = await list(`WorkflowId = '${wf}'`);
      return found.length === 2 && found.every((w) => w.status.name === 'COMPLETED') && found;
    },
    { what: 'two closed runs of the delivery' },
  );
  await listUntil(`WorkflowId = '${wf}' AND WthDeliveryStatus = 'succeeded'`, [wf]);
  await listUntil(`WorkflowId = '${wf}' AND WthDeliveryStatus = 'failed'`, [wf]);

  let activities = 0;
  for (const run of runs) {
    const history = await api.deps.temporal.workflow.getHandle(wf, run.runId).fetchHistory();
    activities += activityRuns(history, 'attemptDelivery');
  }
  const rows = await attemptsOf(api, failed.id);
  assert.deepEqual(
    rows.map((a) => [a.attempt_number, a.trigger, a.status_code]),
    [
      [1, 'automatic', 500],
      [2, 'automatic', 500],
      [3, 'automatic', 500],
      [4, 'automatic', 500],
      [5, 'manual', 200],
    ],
  );
  assert.equal(activities, rows.length);
});
