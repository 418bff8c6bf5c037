// The connect-time SSRF guard wired into real deliveries: with private networks not allowed,
// an endpoint that slipped past the save-time check (or whose name now resolves to loopback)
// is never contacted, and the log says why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { addEndpoint, attemptsOf, emitEvent, settled } from './fixtures';

const CONFIG = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '50',
  WEBHOOK_RETRY_JITTER: '0',
};

let api: TestApi;
let worker: TestWorker;
let rx: Receiver;

before(async () => {
  api = await startTestApi(CONFIG);
  worker = await startTestWorker(CONFIG);
  rx = await startReceiver();
});
after(async () => {
  await worker.stop();
  await api.close();
  await rx.close();
});

for (const [label, host] of [
  ['an IP literal in a blocked range', '127.0.0.1'],
  ['a name that resolves to loopback', 'localhost'],
] as const) {
  test(`a delivery to ${label} is refused before any byte is sent`, async () => {
    const { dealer, integration } = await createTestDealer(api.deps.db);
    const url = rx.url.replace('127.0.0.1', host);
    const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url });
    const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
    const d = await settled(api, ev.id, endpoint.id);
    assert.equal(d.status, 'failed');
    const attempts = await attemptsOf(api, d.id);
    assert.equal(attempts.length, 2);
    for (const a of attempts) {
      assert.equal(a.status_code, null);
      assert.match(a.error ?? '', /blocked range \(loopback\)/);
    }
    assert.equal(rx.requests.length, 0);
  });
}
