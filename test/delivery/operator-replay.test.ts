// An operator's "Reset" of a delivery workflow in Temporal UI replays the delivery: the attempt
// activity of the new run sends it again as a new attempt (trigger `operator`), shown in the
// delivery log. A retried activity of the same run (worker crash) still never sends twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { AttemptOutcome } from '../../activities/delivery';
import { createWebhookSender } from '../../lib/webhook-sender';
import { deliveryWorkflowId } from '../../lib/temporal/contract';
import { eventTypes } from '../helpers/history';
import { waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { addEndpoint, attemptsOf, emitEvent, FAST, settled } from './fixtures';

let api: TestApi;
let worker: TestWorker;
let rx: Receiver;

before(async () => {
  api = await startTestApi(FAST);
  worker = await startTestWorker(FAST);
  rx = await startReceiver();
});
after(async () => {
  await worker.stop();
  await api.close();
  await rx.close();
});

async function deliveredOnce(): Promise<{ deliveryId: string; secret: string }> {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  const d = await settled(api, ev.id, endpoint.id);
  assert.equal(d.status, 'succeeded');
  return { deliveryId: d.id, secret };
}

const sentFor = (deliveryId: string) => rx.requests.filter((r) => r.headers['wth-delivery-id'] === deliveryId);

test('Reset in Temporal (ResetWorkflowExecution) re-sends a delivered webhook as a new operator attempt', async () => {
  const { deliveryId } = await deliveredOnce();
  assert.equal(sentFor(deliveryId).length, 1);

  const handle = api.deps.temporal.workflow.getHandle(deliveryWorkflowId(deliveryId));
  await waitUntil(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'first run to finish' });
  const first = await handle.describe();
  const history = await handle.fetchHistory();
  // What Temporal UI's "Reset to first workflow task" does: reset after the first completed task.
  const firstTask = eventTypes(history).indexOf('EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
  assert.ok(firstTask > 0);
  const reset = await api.deps.temporal.workflowService.resetWorkflowExecution({
    namespace: api.deps.config.TEMPORAL_NAMESPACE,
    workflowExecution: { workflowId: first.workflowId, runId: first.runId },
    reason: 'operator replay (test)',
    workflowTaskFinishEventId: history.events![firstTask]!.eventId,
    requestId: randomUUID(),
  });
  assert.ok(reset.runId && reset.runId !== first.runId);

  const attempts = await waitUntil(
    async () => {
      const rows = await attemptsOf(api, deliveryId);
      return rows.length === 2 ? rows : null;
    },
    { what: 'the replayed attempt in the log' },
  );
  assert.deepEqual(
    attempts.map((a) => [a.attempt_number, a.trigger, a.status_code]),
    [
      [1, 'automatic', 200],
      [2, 'operator', 200],
    ],
  );
  const sent = sentFor(deliveryId);
  assert.deepEqual(
    sent.map((r) => r.headers['wth-attempt']),
    ['1', '2'],
  );
  assert.ok(
    sent.every((r) => r.verifiedBy.length > 0),
    'both signed',
  );
  const after = api.deps.temporal.workflow.getHandle(deliveryWorkflowId(deliveryId), reset.runId);
  const result = await after.result();
  assert.deepEqual(result, { deliveryId, status: 'succeeded', lastAttemptNumber: 2 });
  // The API shows it too.
  const d = await api.deps.db('deliveries').where({ id: deliveryId }).first();
  assert.equal(d.attempt_count, 2);
  assert.equal(d.status, 'succeeded');
});

test('a retried attempt activity (same run and activity) answers from the log and never sends twice', async () => {
  const { deliveryId } = await deliveredOnce();
  const [recorded] = await attemptsOf(api, deliveryId);
  assert.ok(recorded?.activity_key, 'the attempt records which run and activity sent it');
  const [runId, activityId] = recorded.activity_key.split('/') as [string, string];
  const activities = createActivities({
    ...worker,
    config: api.deps.config,
    temporal: api.deps.temporal,
    sender: createWebhookSender(),
  });
  const input = { deliveryId, attemptNumber: 1, trigger: 'automatic' as const, retryInMs: 200 };
  const run = (info: { runId: string; activityId: string }) =>
    new MockActivityEnvironment({
      workflowExecution: { workflowId: deliveryWorkflowId(deliveryId), runId: info.runId },
      activityId: info.activityId,
    }).run(activities.attemptDelivery, input) as Promise<AttemptOutcome>;

  // The same activity execution again (as after a worker crash): the recorded outcome, no POST.
  const again = await run({ runId, activityId });
  assert.equal(again.result, 'succeeded');
  assert.equal(again.attemptNumber, 1);
  assert.equal(sentFor(deliveryId).length, 1);

  // Another run re-running attempt 1 is a reset: one new attempt; its own retry sends nothing more.
  const replayRun = { runId: randomUUID(), activityId: '1' };
  const replayed = await run(replayRun);
  assert.equal(replayed.attemptNumber, 2);
  assert.equal(sentFor(deliveryId).length, 2);
  const retried = await run(replayRun);
  assert.equal(retried.attemptNumber, 2);
  assert.equal(sentFor(deliveryId).length, 2);
  assert.deepEqual(
    (await attemptsOf(api, deliveryId)).map((a) => [a.attempt_number, a.trigger]),
    [
      [1, 'automatic'],
      [2, 'operator'],
    ],
  );
});
