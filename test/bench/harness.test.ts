// A tiny `npm run bench` on the test stack, so the harness cannot rot. It asserts the ledger,
// never a timing: speed is what the real bench reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../bench/lib/run-bench';
import { formatResult } from '../../bench/lib/report';

test('bench: a tiny run of every phase accounts for every published event', async () => {
  const result = await runBench({
    rates: [2],
    costEvents: 2,
    stepSeconds: 2,
    endpoints: 2,
    latencyFractions: [0.5],
    fanoutEndpoints: 18, // more than one integration may hold: the order path spans two
    fanoutRepeats: 1,
    isolationEndpoints: 4,
    attemptTimeoutMs: 2_000,
    drainTimeoutMs: 60_000,
    ceilingSeconds: 1,
    ceilingConcurrency: 2,
    apiSeconds: 1,
    apiConnections: 2,
    skip: [],
    log: () => undefined,
  });
  assert.deepEqual(result.ledger.lost, [], 'nothing published is lost');
  assert.equal(result.ledger.badSignatures, 0);
  assert.equal(result.ledger.unexpected, 0);
  assert.equal(result.valid, true);
  assert.ok(result.ledger.delivered > 0);
  assert.equal(result.fanout?.runs[0]?.delivered, 18, 'one order reached every endpoint of the other integrations');
  assert.equal(result.latency.length, 1);
  const cost = result.transitionsPerDelivery;
  assert.ok(cost && cost.events === 2 && cost.deliveries === 4, 'two events to two endpoints were counted');
  assert.ok(cost.transitionsPerDelivery > 0 && cost.historyEventsPerDelivery > 0);
  // Read from the worker's metrics: the cost phase's four first attempts, all delivered.
  assert.equal(result.attempts.cost?.succeeded, 4);
  // Overload runs only when a rate was sustained on this (shared, busy) machine.
  for (const run of result.overload?.runs ?? []) assert.ok(run.work && run.work.events > 0, 'overload work sampled');
  assert.ok(result.ceiling && result.ceiling.completed > 0);
  assert.deepEqual(
    result.api?.results.map((r) => r.label),
    ['bare Koa GET /bare', 'GET /api/v1/listings', 'bare Koa POST /bare', 'POST /api/v1/orders'],
  );
  assert.ok(result.api?.results.every((r) => r.total > 0 && r.errors === 0));
  assert.ok(result.processes.wholeRun.api && result.processes.wholeRun.worker);
  assert.match(formatResult(result), /ledger: VALID/);
});
