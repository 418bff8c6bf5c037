import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../helpers/http';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { withEvents } from '../../domain/platform/unit-of-work';
import { createEventStarter, dispatchUnstartedEvents } from '../../domain/events/outbox-relay';
import { eventWorkflowId } from '../../lib/temporal/contract';
import { recordEvent } from '../../domain/events/event-store';

let api: TestApi;
let worker: TestWorker;

before(async () => {
  api = await startTestApi();
  worker = await startTestWorker();
});
after(async () => {
  await worker.stop();
  await api.close();
});

test('an event committed with its change starts its workflow once, by business key', async () => {
  const { dealer } = await createTestDealer(api.deps.db);
  const event = await withEvents(api.deps, async (trx, emit) =>
    emit({
      dealerId: dealer.id,
      livemode: false,
      type: 'integration.test_event',
      object: { message: 'hi' },
      origin: 'api',
    }),
  );
  // The API answers right after the commit and starts the workflow detached; it is recorded.
  await waitUntil(async () => (await api.deps.db('events').where({ id: event.id }).first()).workflow_started_at, {
    what: 'the detached start to be recorded',
  });
  const handle = api.deps.temporal.workflow.getHandle(eventWorkflowId(event.id));
  const result = await handle.result();
  assert.equal(result.eventId, event.id);
  assert.equal(result.type, 'integration.test_event');
  assert.equal(result.deliveries, 0, 'the dealer has no endpoints');
  const row = await api.deps.db('events').where({ id: event.id }).first();
  assert.ok(row.workflow_started_at, 'the database remembers the start');
  // A second start is a no-op, not a second run.
  await api.deps.eventStarter.start(event);
  const runs = await api.deps.temporal.workflow.list({ query: `WorkflowId="${eventWorkflowId(event.id)}"` });
  let n = 0;
  for await (const _ of runs) n++;
  assert.equal(n, 1);
});

test('the dispatcher starts an event whose post-commit start never happened', async () => {
  const { dealer } = await createTestDealer(api.deps.db);
  // Commit without starting, as if the API crashed right after COMMIT.
  const event = await recordEvent(api.deps.db, {
    dealerId: dealer.id,
    livemode: false,
    type: 'integration.test_event',
    object: { message: 'orphan' },
    origin: 'api',
  });
  const started = await waitUntil(
    async () => {
      await dispatchUnstartedEvents(
        { db: api.deps.db, starter: api.deps.eventStarter, logger: api.deps.logger },
        { graceMs: 0, batchSize: 500 },
      );
      const row = await api.deps.db('events').where({ id: event.id }).first();
      return row.workflow_started_at;
    },
    { what: 'dispatcher start' },
  );
  assert.ok(started);
  const result = await api.deps.temporal.workflow.getHandle(eventWorkflowId(event.id)).result();
  assert.equal(result.type, 'integration.test_event');
});

test('detached starts beyond the in-flight cap are left to the dispatcher, which starts them', async () => {
  const { dealer } = await createTestDealer(api.deps.db);
  const starter = createEventStarter({
    client: api.deps.temporal,
    db: api.deps.db,
    taskQueue: api.deps.config.TEMPORAL_TASK_QUEUE,
    logger: api.deps.logger,
    maxDetached: 1,
  });
  const events = await withEvents({ ...api.deps, eventStarter: starter }, async (_trx, emit) => {
    const out = [];
    for (const message of ['a', 'b', 'c']) {
      out.push(
        await emit({
          dealerId: dealer.id,
          livemode: false,
          type: 'integration.test_event',
          object: { message },
          origin: 'api',
        }),
      );
    }
    return out;
  });
  await starter.drain();
  const ids = events.map((e) => e.id);
  const startedNow = await api.deps.db('events').whereIn('id', ids).whereNotNull('workflow_started_at');
  assert.equal(startedNow.length, 1, 'one start in flight at most; the other two wait for the dispatcher');
  await waitUntil(
    async () => {
      await dispatchUnstartedEvents(
        { db: api.deps.db, starter: api.deps.eventStarter, logger: api.deps.logger },
        { graceMs: 0, batchSize: 500 },
      );
      return (await api.deps.db('events').whereIn('id', ids).whereNull('workflow_started_at')).length === 0;
    },
    { what: 'the dispatcher to start the rest' },
  );
});
