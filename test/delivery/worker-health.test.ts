// The worker's own HTTP server: /healthz follows the worker's state, /metrics shows delivery
// attempts by result, attempt latency, settled deliveries by outcome and the outbox backlog.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry, deliveryMetrics, outboxBacklogGauge } from '../../lib/metrics';
import { startWorkerHttp } from '../../worker/http-server';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { addEndpoint, emitEvent, FAST, settled } from './fixtures';

let api: TestApi;
let worker: TestWorker;
let rx: Receiver;
let http: { url: string; close(): Promise<void> };
const registry = createRegistry();

before(async () => {
  api = await startTestApi(FAST);
  outboxBacklogGauge(registry, api.deps.db);
  worker = await startTestWorker(FAST, { metrics: deliveryMetrics(registry) });
  http = await startWorkerHttp({ worker: worker.worker, registry, logger: worker.logger, host: '127.0.0.1', port: 0 });
  rx = await startReceiver();
});
after(async () => {
  await http.close();
  await rx.close();
  await api.close();
});

test('worker /healthz answers 200 while running; /metrics counts deliveries by outcome', async () => {
  const health = await fetch(`${http.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', worker: 'RUNNING' });

  const { dealer, integration } = await createTestDealer(api.deps.db);
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: dealer.id,
    integrationId: integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
  assert.equal((await settled(api, ev.id, endpoint.id)).status, 'succeeded');

  const res = await fetch(`${http.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /^wth_delivery_attempts_total\{result="succeeded"\} [1-9]\d*$/m);
  assert.match(text, /^wth_deliveries_settled_total\{outcome="succeeded"\} [1-9]\d*$/m);
  assert.match(text, /^wth_delivery_attempt_duration_seconds_count\{result="succeeded"\} [1-9]\d*$/m);
  assert.match(text, /^wth_outbox_backlog \d+$/m);
  assert.equal((await fetch(`${http.url}/nope`)).status, 404);
});

test('worker /healthz answers 503 once the worker has stopped', async () => {
  await worker.stop();
  const health = await fetch(`${http.url}/healthz`);
  assert.equal(health.status, 503);
  assert.equal(((await health.json()) as { status: string }).status, 'unavailable');
});
