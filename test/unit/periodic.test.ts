// `every` runs the worker's periodic jobs (the dispatcher among them); `wake()` is how a queued
// event reaches the dispatcher before its next 2 s pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { every } from '../../worker/periodic';
import { createLogger } from '../../lib/logger';

const logger = createLogger({ level: 'silent', name: 'periodic-test' });
const LONG = 60_000;

function counter() {
  const passes: number[] = [];
  let release: (() => void) | null = null;
  return {
    passes,
    /** While held, a pass does not end until `free()`. */
    hold: false,
    free() {
      release?.();
      release = null;
    },
    async tick(this: { hold: boolean }, _stopped: () => boolean) {
      passes.push(Date.now());
      if (this.hold) await new Promise<void>((r) => (release = r));
      return LONG;
    },
  };
}

const until = async (cond: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
};

test('wake() runs the next pass now instead of after the interval', async () => {
  const c = counter();
  const job = every(LONG, (s) => c.tick.call(c, s), { logger, what: 'test' });
  assert.ok(await until(() => c.passes.length === 1));
  job.wake();
  assert.ok(await until(() => c.passes.length === 2), 'a second pass long before the 60 s interval');
  await job.stop();
});

test('a wake-up during a pass runs another pass right after it', async () => {
  const c = counter();
  c.hold = true;
  const job = every(LONG, (s) => c.tick.call(c, s), { logger, what: 'test' });
  assert.ok(await until(() => c.passes.length === 1));
  job.wake();
  c.hold = false;
  c.free();
  assert.ok(await until(() => c.passes.length === 2), 'the event queued mid-pass is not left for 60 s');
  await job.stop();
});

test('a flood of wake-ups runs one pass, not one each', async () => {
  const c = counter();
  const job = every(LONG, (s) => c.tick.call(c, s), { logger, what: 'test' });
  assert.ok(await until(() => c.passes.length === 1));
  for (let i = 0; i < 100; i++) job.wake();
  assert.ok(await until(() => c.passes.length === 2));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(c.passes.length, 2);
  await job.stop();
});
