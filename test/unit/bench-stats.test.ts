import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, slope, summarize } from '../../bench/lib/stats';
import { sign, verifySignature } from '../../bench/lib/signature';
import { findEventId } from '../../bench/lib/tenants';

test('bench stats: nearest-rank percentiles report observed values', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), null);
  const s = summarize([5, 1, 3]);
  assert.deepEqual([s.count, s.p50, s.max, s.mean], [3, 3, 5, 3]);
});

test('bench stats: slope of a growing and of a flat backlog', () => {
  assert.equal(slope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 }))), 2);
  assert.equal(slope([0, 1, 2, 3].map((x) => ({ x, y: 4 }))), 0);
  assert.equal(slope([{ x: 1, y: 1 }]), 0);
});

test('bench receivers: WTH-Signature verification, rotation, replay window', () => {
  const body = Buffer.from('{"id":"evt_1"}');
  const now = 1_800_000_000;
  const good = `t=${now},v1=${sign('whsec_a', now, body)}`;
  assert.ok(verifySignature(good, body, ['whsec_a'], now));
  assert.ok(!verifySignature(good, body, ['whsec_b'], now), 'another secret');
  assert.ok(!verifySignature(good, Buffer.from('{"id":"evt_2"}'), ['whsec_a'], now), 'another body');
  assert.ok(!verifySignature(good, body, ['whsec_a'], now + 301), 'outside the replay window');
  const rotated = `t=${now},v1=${sign('whsec_new', now, body)},v1=${sign('whsec_a', now, body)}`;
  assert.ok(verifySignature(rotated, body, ['whsec_a'], now), 'the old secret still matches during grace');
  assert.ok(!verifySignature(undefined, body, ['whsec_a'], now));
  assert.ok(!verifySignature(`t=${now}`, body, ['whsec_a'], now));
});

test('bench: the event id is found wherever the API answer puts it', () => {
  assert.equal(findEventId({ id: 'evt_1', object: 'event' }), 'evt_1');
  assert.equal(findEventId({ object: 'test_ping', event: { id: 'evt_2' } }), 'evt_2');
  assert.equal(findEventId({ id: 'we_1', data: [{ event_id: 'evt_3' }] }), 'evt_3');
  assert.equal(findEventId({ id: 'x' }), null);
});
