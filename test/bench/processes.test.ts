import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchStack } from '../../bench/lib/bench-stack';
import { measureTemporalCeiling } from '../../bench/lib/ceiling';
import { readProc } from '../../bench/lib/proc';

let bs: BenchStack;

before(async () => {
  bs = await BenchStack.start({ name: 'test-processes', log: () => undefined });
});
after(async () => {
  await bs.stop();
});

test('bench: API and worker run as separate processes that survive kill -9 and come back ready', async () => {
  const api = await bs.addApi();
  const worker = await bs.addWorker();
  assert.notEqual(api.pid, process.pid);
  assert.notEqual(worker.pid, api.pid);
  const usage = readProc(worker.pid as number);
  assert.ok(usage && usage.cpuSeconds > 0 && usage.peakRssMb > 0, '/proc is readable for the worker');

  const oldWorkerPid = worker.pid;
  await worker.kill9();
  assert.equal(worker.running, false);
  await worker.start();
  assert.notEqual(worker.pid, oldWorkerPid, 'a new worker process polls the task queue');

  await api.kill9();
  await assert.rejects(fetch(`${api.url}/healthz`));
  await api.start();
  assert.equal((await fetch(`${api.url}/readyz`)).status, 200);
});

test('bench: the Temporal ceiling workflow runs on its own queue with an in-process worker', async () => {
  const r = await measureTemporalCeiling({ address: bs.temporalAddress, seconds: 1, concurrency: 2, warmupSeconds: 0 });
  assert.equal(r.failed, 0);
  assert.ok(r.completed > 0);
});
