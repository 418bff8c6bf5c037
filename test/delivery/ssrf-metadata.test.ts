// Cloud metadata and link-local addresses are never webhook targets, even in a deployment that
// allows private networks for development (as npm start and this suite do). Refused when the
// URL is saved and again when a delivery connects. No packet ever leaves for those addresses:
// each connect-time case first checks, without the network, that the guard refuses it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHostAllowed, BlockedAddressError, guardedLookup, type Resolver } from '../../lib/address-policy';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { addEndpoint, attemptsOf, emitEvent, settled } from './fixtures';

const CONFIG = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '50',
  WEBHOOK_RETRY_JITTER: '0',
};
const METADATA_NAME = 'metadata.wth.test';

// DNS for the worker: the metadata name resolves to the metadata address; nothing else resolves.
const resolve: Resolver = (hostname, _options, cb) => {
  if (hostname === METADATA_NAME) return cb(null, [{ address: '169.254.169.254', family: 4 }]);
  cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
};

let api: TestApi;
let worker: TestWorker;

before(async () => {
  api = await startTestApi(CONFIG);
  worker = await startTestWorker(CONFIG, { resolve });
});
after(async () => {
  await worker.stop();
  await api.close();
});

test('saving an endpoint at a metadata or link-local address is refused with private networks allowed', async () => {
  assert.equal(api.deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, true);
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  for (const [url, range] of [
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://169.254.1.1:8080/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://192.0.2.1/', 'reserved'],
  ] as const) {
    const res = await c.post('/api/v1/webhook_endpoints', { url, enabled_events: ['*'] });
    assert.equal(res.status, 400, url);
    assert.equal(res.body.error.code, 'url_not_allowed', url);
    assert.equal(res.body.error.param, 'url', url);
    assert.match(res.body.error.message, new RegExp(`blocked range \\(${range}\\)`), url);
  }
  // What development is for still works.
  const ok = await c.post('/api/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] });
  assert.equal(ok.status, 200);
});

for (const [label, url, expected] of [
  [
    'the metadata IP literal',
    'http://169.254.169.254/latest/meta-data/',
    /address 169\.254\.169\.254 is in a blocked range \(cloud metadata\)/,
  ],
  [
    'a name that resolves to the metadata address',
    `http://${METADATA_NAME}/latest/meta-data/`,
    /host metadata\.wth\.test resolves to 169\.254\.169\.254, which is in a blocked range \(cloud metadata\)/,
  ],
] as const) {
  test(`a delivery to ${label} is refused at connect time, before any packet is sent`, async () => {
    // Tripwire first: if the guard ever let this through, stop here rather than send anything.
    assert.throws(() => assertHostAllowed('http://169.254.169.254/', true), BlockedAddressError);
    const refused = await new Promise<Error | null>((done) =>
      guardedLookup(true, resolve)(METADATA_NAME, { all: true }, (err) => done(err)),
    );
    assert.ok(refused instanceof BlockedAddressError);

    const { dealer, integration } = await createTestDealer(api.deps.db);
    // Inserted below the API, as if saved before this policy existed.
    const { endpoint } = await addEndpoint(api, { dealerId: dealer.id, integrationId: integration.id, url });
    const ev = await emitEvent(api, { dealerId: dealer.id, type: 'listing.updated' });
    const d = await settled(api, ev.id, endpoint.id);
    assert.equal(d.status, 'failed');
    const attempts = await attemptsOf(api, d.id);
    assert.equal(attempts.length, 2);
    for (const a of attempts) {
      assert.equal(a.status_code, null);
      assert.match(a.error ?? '', expected);
    }
  });
}
