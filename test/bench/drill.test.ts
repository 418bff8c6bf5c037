// The fast drills of `npm run drill`, on the test stack: a worker and an API killed with -9
// under load, restarted, and every committed event accounted for.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchStack } from '../../bench/lib/bench-stack';
import { runDrill, type DrillName } from '../../bench/lib/drills';

let bs: BenchStack;

before(async () => {
  bs = await BenchStack.start({
    name: 'test-drill',
    log: () => undefined,
    appEnv: { WEBHOOK_ATTEMPT_TIMEOUT_MS: '2000', DISPATCHER_GRACE_MS: '1000', DISPATCHER_INTERVAL_MS: '500' },
  });
});
after(async () => {
  await bs.stop();
});

for (const drill of ['worker-kill', 'api-kill'] as DrillName[]) {
  test(`drill ${drill}: every committed event reaches every endpoint after kill -9 and restart`, async () => {
    const r = await runDrill(bs, drill, {
      rate: 3,
      endpoints: 2,
      beforeSeconds: 2,
      downSeconds: 1,
      afterSeconds: 2,
      recoverTimeoutMs: 120_000,
      log: () => undefined,
    });
    assert.ok(r.ledger.events > 0);
    assert.deepEqual(r.ledger.lost, []);
    assert.deepEqual(r.ledger.pending, []);
    assert.equal(r.ledger.badSignatures, 0);
    assert.equal(r.ledger.delivered, r.ledger.expectedDeliveries);
    assert.equal(r.passed, true);
  });
}
