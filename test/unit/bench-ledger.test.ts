import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../bench/lib/ledger';
import { openLoop } from '../../bench/lib/open-loop';

const ok = (endpointId: string, eventId: string, at = 0) => ({ endpointId, eventId, at, signatureOk: true });

test('bench ledger: every pair received once is a valid run', () => {
  const l = new Ledger();
  l.expect('evt_1', ['we_a', 'we_b'], 100);
  l.record(ok('we_a', 'evt_1', 130));
  l.record(ok('we_b', 'evt_1', 150));
  const r = l.report();
  assert.equal(r.valid, true);
  assert.deepEqual([r.expectedDeliveries, r.delivered, r.duplicates], [2, 2, 0]);
  assert.deepEqual(l.latencies().sort(), [30, 50]);
});

test('bench ledger: duplicates are counted, not fatal', () => {
  const l = new Ledger();
  l.expect('evt_1', ['we_a'], 0);
  l.record(ok('we_a', 'evt_1'));
  l.record(ok('we_a', 'evt_1'));
  const r = l.report();
  assert.equal(r.valid, true);
  assert.equal(r.duplicates, 1);
});

test('bench ledger: a missing delivery is VOID unless the delivery log still owes it', () => {
  const l = new Ledger();
  l.expect('evt_1', ['we_a', 'we_b'], 0);
  l.record(ok('we_a', 'evt_1'));
  const lost = l.report();
  assert.equal(lost.valid, false);
  assert.equal(lost.lost.length, 1);
  const pending = l.report(new Map([['evt_1 we_b', { status: 'pending', attempts: 2 }]]));
  assert.equal(pending.valid, true);
  assert.deepEqual(pending.pending, [
    { eventId: 'evt_1', endpointId: 'we_b', pending: { status: 'pending', attempts: 2 } },
  ]);
  const succeededButNeverSeen = l.report(new Map([['evt_1 we_b', { status: 'succeeded', attempts: 1 }]]));
  assert.equal(succeededButNeverSeen.valid, false);
});

test('bench ledger: bad signatures and receipts nobody expected make the run VOID', () => {
  const l = new Ledger();
  l.expect('evt_1', ['we_a'], 0);
  l.record(ok('we_a', 'evt_1'));
  l.record({ ...ok('we_a', 'evt_1'), signatureOk: false });
  assert.equal(l.report().badSignatures, 1);
  assert.equal(l.report().valid, false);
  const m = new Ledger();
  m.expect('evt_1', ['we_a'], 0);
  m.record(ok('we_a', 'evt_1'));
  m.record(ok('we_b', 'evt_1'));
  assert.equal(m.report().unexpected, 1);
  assert.equal(m.report().valid, false);
});

test('bench ledger: an event learnt from the database keeps the answer time the API gave', () => {
  const l = new Ledger();
  l.expect('evt_1', ['we_a'], null);
  l.expect('evt_1', ['we_a'], 500);
  assert.equal(l.answeredAt('evt_1'), 500);
  l.expect('evt_1', ['we_a'], null);
  assert.equal(l.answeredAt('evt_1'), 500);
});

test('open loop: sends on schedule without waiting for answers, and counts failures', async () => {
  let started = 0;
  const r = await openLoop({
    rate: 200,
    seconds: 0.25,
    send: async (seq) => {
      started++;
      // Never answered within the run's length: a closed loop would send only one.
      await new Promise((resolve) => setTimeout(resolve, 400));
      if (seq % 10 === 0) throw new Error('boom');
    },
  });
  assert.equal(r.scheduled, 50);
  assert.equal(started, 50);
  assert.equal(r.failed, 5);
  assert.equal(r.ok, 45);
  assert.ok(r.maxInFlight > 1);
});

test('open loop: a saturated target makes the generator skip, and says so', async () => {
  const r = await openLoop({
    rate: 1000,
    seconds: 0.05,
    maxInFlight: 3,
    send: () => new Promise((resolve) => setTimeout(resolve, 200)),
  });
  assert.equal(r.sent, 3);
  assert.equal(r.skipped, r.scheduled - 3);
});
