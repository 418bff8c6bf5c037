import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import type { CreatedDealer } from '../../domain/accounts/dealers';

let api: TestApi;
let dealer: CreatedDealer;

before(async () => {
  api = await startTestApi();
  dealer = await createTestDealer(api.deps.db);
});
after(async () => api.close());

test('healthz and readyz answer with Postgres and Temporal reachable', async () => {
  const c = client(api.url);
  assert.deepEqual((await c.get('/healthz')).body, { status: 'ok' });
  const ready = await c.get('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body.checks, { postgres: 'ok', temporal: 'ok' });
});

test('GET /api/v1/me identifies the key, its dealer, integration and mode', async () => {
  const res = await client(api.url, dealer.keys.test.key).get('/api/v1/me');
  assert.equal(res.status, 200);
  assert.equal(res.body.livemode, false);
  assert.equal(res.body.dealer.id, dealer.dealer.id);
  assert.equal(res.body.integration.id, dealer.integration.id);
  assert.equal(res.body.api_key.prefix, dealer.keys.test.key.slice(0, 12));
  assert.equal(JSON.stringify(res.body).includes(dealer.keys.test.key), false);
});

test('missing, malformed and unknown keys get 401 in the one error shape', async () => {
  for (const key of [undefined, 'nope', `wth_${'a'.repeat(32)}`]) {
    const res = await client(api.url, key).get('/api/v1/me');
    assert.equal(res.status, 401, String(key));
    assert.equal(res.body.error.type, 'authentication_error');
    assert.equal(typeof res.body.error.code, 'string');
  }
});

test('a live key is refused until the integration is switched to live', async () => {
  const live = client(api.url, dealer.keys.live.key);
  const refused = await live.get('/api/v1/me');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'livemode_disabled');
  await api.deps.db('integrations').where({ id: dealer.integration.id }).update({ live_enabled: true });
  const ok = await live.get('/api/v1/me');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.livemode, true);
});

test('unknown routes are 404 in the error shape; malformed JSON is 400', async () => {
  const c = client(api.url, dealer.keys.test.key);
  const missing = await c.get('/api/v1/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.type, 'not_found_error');
  // A route that takes a body (POST /me would be a 405: the method is checked before the body).
  const bad = await c.call('POST', '/api/v1/customers', '{"a":', { 'content-type': 'application/json' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_json');
});
