import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../helpers/http';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { withEvents } from '../../domain/platform/unit-of-work';
import { createEventStarter, dispatchUnstartedEvents } from '../../domain/events/outbox-relay';
import { eventWorkflowId } from '../../lib/temporal/contract';
import { markEventPlanned, recordEvent } from '../../domain/events/event-store';
import { readAdmission } from '../../domain/events/admission';
import { planDeliveries } from '../../domain/webhooks/delivery-store';
import { addEndpoint } from './fixtures';

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

/** A test event committed without starting its workflow, as if the API crashed right after COMMIT. */
function commitOnly(dealerId: string, message: string, originIntegrationId?: string) {
  return recordEvent(api.deps.db, {
    dealerId,
    livemode: false,
    type: 'integration.test_event',
    object: { message },
    origin: 'api',
    originIntegrationId,
  });
}

/** The starter of an API process set up as a test needs (its in-flight limit, its gate). */
function apiStarter(opts: Pick<Parameters<typeof createEventStarter>[0], 'maxDetached' | 'admission'>) {
  return createEventStarter({
    client: api.deps.temporal,
    db: api.deps.db,
    taskQueue: api.deps.config.TEMPORAL_TASK_QUEUE,
    logger: api.deps.logger,
    ...opts,
  });
}

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
  const starter = apiStarter({ maxDetached: 1 });
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

test('admission: at the in-flight cap the dispatcher starts nothing; with room for one, the oldest', async () => {
  const { dealer } = await createTestDealer(api.deps.db);
  const commit = (message: string) => commitOnly(dealer.id, message);
  const older = await commit('older');
  const newer = await commit('newer');
  const deps = { db: api.deps.db, starter: api.deps.eventStarter, logger: api.deps.logger };
  const started = async (id: string) =>
    Boolean((await api.deps.db('events').where({ id }).first()).workflow_started_at);
  // Nothing else in this file has endpoints, so nothing else is in flight.
  const { inFlight } = await readAdmission(api.deps.db, { graceMs: 0 });
  assert.equal(await dispatchUnstartedEvents(deps, { graceMs: 0, batchSize: 500, maxInFlight: inFlight }), 0);
  assert.equal(await started(older.id), false, 'at the cap the event waits in the outbox');
  assert.equal(await dispatchUnstartedEvents(deps, { graceMs: 0, batchSize: 500, maxInFlight: inFlight + 1 }), 1);
  assert.equal(await started(older.id), true, 'the oldest goes first');
  assert.equal(await started(newer.id), false);
  await dispatchUnstartedEvents(deps, { graceMs: 0, batchSize: 500 });
  assert.equal(await started(newer.id), true, 'and the rest once there is room');
});

test('admission: a started event counts as its endpoints before it is planned, so a burst cannot overrun the cap', async () => {
  const { dealer, integration } = await createTestDealer(api.deps.db);
  // Never called: the workflows are not run here, only counted.
  for (let i = 0; i < 3; i++) {
    await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url: `http://127.0.0.1:9/${i}` });
  }
  const commit = (message: string) => commitOnly(dealer.id, message, integration.id);
  const inFlight = async () => (await readAdmission(api.deps.db, { graceMs: 0 })).inFlight;
  const event = await commit('started, Temporal behind on planning');
  const base = await inFlight();
  // Started as the dispatcher marks it; its workflow has not planned yet (a backed-up Temporal).
  await api.deps.db('events').where({ id: event.id }).update({ workflow_started_at: api.deps.db.fn.now() });
  assert.equal(await inFlight(), base + 3, "counted as its dealer's three enabled endpoints");

  // So with room for three deliveries and those three owed, the next event waits.
  const next = await commit('next in the outbox');
  const deps = { db: api.deps.db, starter: api.deps.eventStarter, logger: api.deps.logger };
  assert.equal(await dispatchUnstartedEvents(deps, { graceMs: 0, batchSize: 500, maxInFlight: base + 3 }), 0);
  assert.equal((await api.deps.db('events').where({ id: next.id }).first()).workflow_started_at, null);

  // Planned: its deliveries count instead of the estimate, not both.
  const planned = await planDeliveries(api.deps.db, event);
  await markEventPlanned(api.deps.db, event.id);
  assert.equal(planned.length, 3);
  assert.equal(await inFlight(), base + 3, 'three planned deliveries, none attempted');
  await api.deps
    .db('deliveries')
    .whereIn(
      'id',
      planned.map((d) => d.id),
    )
    .update({ status: 'failed' });
  assert.equal(await inFlight(), base);
});

test('an event the API leaves to the dispatcher is due at once, and newer events queue behind it', async () => {
  const { dealer } = await createTestDealer(api.deps.db);
  // An API process whose admission gate is closed (the pipeline at its in-flight cap).
  const starter = apiStarter({ maxDetached: 64, admission: { open: () => false } });
  const [event] = await withEvents({ ...api.deps, eventStarter: starter }, async (_trx, emit) => [
    await emit({
      dealerId: dealer.id,
      livemode: false,
      type: 'integration.test_event',
      object: { message: 'left to the dispatcher' },
      origin: 'api',
    }),
  ]);
  await starter.drain();
  const row = await api.deps.db('events').where({ id: event!.id }).first();
  assert.equal(row.workflow_started_at, null, 'the API did not start it');
  // A grace far longer than the test: only the API's hand-over can make it due.
  const graceMs = 10 * 60_000;
  assert.ok(
    (await readAdmission(api.deps.db, { graceMs })).waiting >= 1,
    'it waits, so the gate stays shut for newer events',
  );
  const deps = { db: api.deps.db, starter: api.deps.eventStarter, logger: api.deps.logger };
  await dispatchUnstartedEvents(deps, { graceMs, batchSize: 500 });
  const after = await api.deps.db('events').where({ id: event!.id }).first();
  assert.ok(after.workflow_started_at, 'the dispatcher started it without waiting out the grace');
});

test('one event whose start fails holds up neither the others nor their marks; it is tried again next pass', async () => {
  const { dealer } = await createTestDealer(api.deps.db);
  const events = [];
  for (const message of ['first', 'poison', 'third']) {
    events.push(
      await recordEvent(api.deps.db, {
        dealerId: dealer.id,
        livemode: false,
        type: 'integration.test_event',
        object: { message },
        origin: 'api',
      }),
    );
  }
  const [first, poison, third] = events.map((e) => e.id) as [string, string, string];
  const real = api.deps.eventStarter;
  let failing = true;
  // The real starter, except that Temporal refuses this one event's start for now.
  const starter = {
    ...real,
    start: async (e: Parameters<typeof real.start>[0], db?: Parameters<typeof real.start>[1]) => {
      if (e.id === poison && failing) throw new Error('Temporal refused this start');
      return real.start(e, db);
    },
  };
  const deps = { db: api.deps.db, starter, logger: api.deps.logger };
  const started = async (id: string) =>
    Boolean((await api.deps.db('events').where({ id }).first()).workflow_started_at);
  // Other files' leftovers may come first in the outbox; passes until ours have been tried.
  await waitUntil(async () => {
    await dispatchUnstartedEvents(deps, { graceMs: 0, batchSize: 500 });
    return (await started(first)) && (await started(third));
  });
  assert.equal(await started(poison), false);
  failing = false;
  await dispatchUnstartedEvents(deps, { graceMs: 0, batchSize: 500 });
  assert.equal(await started(poison), true, 'tried again on the next pass');
});
