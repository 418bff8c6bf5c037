// Determinism guard: histories recorded from real runs must replay against the current workflow
// code. A change that would break deliveries waiting on multi-day timers fails here first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { startReceiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, testConfig } from '../helpers/stack';
import { retryDelivery } from '../../domain/webhooks/delivery-service';
import { deliveryWorkflowId, eventWorkflowId } from '../../lib/temporal/contract';
import { workflowsPath } from '../../worker/create-worker';
import { addEndpoint, attemptsOf, deliveriesOf, emitEvent, settled } from './fixtures';
import { waitUntil } from '../helpers/http';
import { eventTypes } from '../helpers/history';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'histories');

// The second wait is long on purpose: only a `retryNow` signal ends it within the test.
const SCHEDULES = {
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '200,600000',
  WEBHOOK_RETRY_SCHEDULE_LIVE_MS: '200,600000',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_ATTEMPT_TIMEOUT_MS: '1500',
};

/** The same workflow code the worker runs: the prebuilt bundle under npm test, else the sources. */
function replayOptions(): ReplayWorkerOptions {
  const bundle = testConfig().WORKFLOW_BUNDLE_PATH;
  return bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath };
}

async function replayAll(
  histories: { workflowId: string; history: History }[],
  options: ReplayWorkerOptions = replayOptions(),
): Promise<{ workflowId: string; error?: Error }[]> {
  const results = [];
  for await (const r of Worker.runReplayHistories(options, histories)) results.push(r);
  return results;
}

function fixtureHistories(): { workflowId: string; history: History }[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      workflowId: path.basename(f, '.json'),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8'))),
    }));
}

test('recorded histories (no server needed) replay against the current workflow code', async () => {
  const fixtures = fixtureHistories();
  const kinds = fixtures.map((f) => f.workflowId.split('-')[0]).sort();
  assert.deepEqual(kinds, ['delivery', 'delivery', 'event'], 'an event and two deliveries are recorded');
  const results = await replayAll(fixtures);
  assert.equal(results.length, fixtures.length);
  for (const r of results) assert.equal(r.error, undefined, `${r.workflowId}: ${r.error?.message}`);
});

test('the guard catches a non-deterministic change to the delivery workflow', async () => {
  const changed = path.resolve(__dirname, 'replay-nondeterministic-workflows.ts');
  const delivery = fixtureHistories().filter((f) => f.workflowId.startsWith('delivery'));
  assert.equal(delivery.length, 2);
  const results = await replayAll(delivery, { workflowsPath: changed });
  assert.equal(results.length, delivery.length);
  for (const r of results) {
    assert.ok(r.error, `${r.workflowId} must not replay against changed code`);
    assert.equal(r.error.name, 'DeterminismViolationError', r.error.message);
  }
});

test('live event and delivery histories (timer, retry, retryNow signal) replay against the current code', async () => {
  const api = await startTestApi(SCHEDULES);
  const worker = await startTestWorker(SCHEDULES);
  // Fails once, then succeeds after the short automatic wait (a fired timer in the history).
  const once = await startReceiver({ reply: (r) => (r.n === 1 ? { status: 500 } : { status: 200 }) });
  // Fails twice, then waits on the long timer until a manual re-send signals it awake.
  const twice = await startReceiver({ reply: (r) => (r.n <= 2 ? { status: 503 } : { status: 200 }) });
  try {
    const { dealer, integration } = await createTestDealer(api.deps.db);
    const base = { dealerId: dealer.id, integrationId: integration.id };
    const eOnce = await addEndpoint(api, { ...base, url: once.url });
    const eTwice = await addEndpoint(api, { ...base, url: twice.url });
    const ev = await emitEvent(api, { dealerId: dealer.id, type: 'order.fulfilled' });

    assert.equal((await settled(api, ev.id, eOnce.endpoint.id)).status, 'succeeded');
    const waiting = await waitUntil(
      async () => {
        const d = (await deliveriesOf(api, ev.id)).find((x) => x.endpoint_id === eTwice.endpoint.id);
        return d && d.attempt_count === 2 && d.status === 'pending' && d;
      },
      { what: 'second attempt recorded and waiting' },
    );
    await retryDelivery(api.deps, { dealerId: dealer.id, livemode: false }, waiting.id);
    assert.equal((await settled(api, ev.id, eTwice.endpoint.id)).status, 'succeeded');
    assert.deepEqual(
      (await attemptsOf(api, waiting.id)).map((a) => [a.attempt_number, a.status_code, a.trigger]),
      [
        [1, 503, 'automatic'],
        [2, 503, 'automatic'],
        [3, 200, 'manual'],
      ],
    );

    const deliveries = await deliveriesOf(api, ev.id);
    const ids = [eventWorkflowId(ev.id), ...deliveries.map((d) => deliveryWorkflowId(d.id))];
    const histories = await Promise.all(
      ids.map(async (workflowId) => {
        const handle = api.deps.temporal.workflow.getHandle(workflowId);
        await handle.result();
        return { workflowId, history: await handle.fetchHistory() };
      }),
    );
    const all = histories.flatMap((h) => eventTypes(h.history));
    // The histories hold what the guard is for: timers, signals, activities and child starts.
    for (const kind of [
      'EVENT_TYPE_TIMER_FIRED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
      'EVENT_TYPE_TIMER_CANCELED',
      'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
      'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED',
    ]) {
      assert.ok(all.includes(kind), `${kind} in the recorded histories`);
    }

    const results = await replayAll(histories);
    assert.deepEqual(
      results.map((r) => r.workflowId),
      ids,
    );
    for (const r of results) assert.equal(r.error, undefined, `${r.workflowId}: ${r.error?.message}`);

    // A JSON round trip (the fixture format) replays too.
    const viaJson = histories.map((h) => ({
      workflowId: h.workflowId,
      history: historyFromJSON(JSON.parse(historyToJSON(h.history))),
    }));
    for (const r of await replayAll(viaJson)) assert.equal(r.error, undefined, `${r.workflowId}: ${r.error?.message}`);
  } finally {
    await worker.stop();
    await api.close();
    await Promise.all([once.close(), twice.close()]);
  }
});
