import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createApiKey } from '../../domain/accounts/api-keys';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';

let a: TestApi;
let b: TestApi;

before(async () => {
  // Two API processes' worth of apps against one database, as in production.
  a = await startTestApi({ API_RATE_LIMIT_PER_MINUTE: '4' });
  b = await startTestApi({ API_RATE_LIMIT_PER_MINUTE: '4' });
});
after(async () => Promise.all([a.close(), b.close()]));

test('the per-key limit holds across API processes; the next request is a 429 with Retry-After', async () => {
  const d = await createTestDealer(a.deps.db);
  const viaA = client(a.url, d.keys.test.key);
  const viaB = client(b.url, d.keys.test.key);
  const remaining: string[] = [];
  for (const c of [viaA, viaB, viaA, viaB]) {
    const res = await c.get('/api/v1/me');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('ratelimit-limit'), '4');
    remaining.push(res.headers.get('ratelimit-remaining') as string);
    const reset = Number(res.headers.get('ratelimit-reset'));
    assert.ok(reset >= 1 && reset <= 60, `reset ${reset}`);
  }
  assert.deepEqual(remaining, ['3', '2', '1', '0']);
  const limited = await viaB.get('/api/v1/me');
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.type, 'rate_limit_error');
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60);
  assert.equal(limited.headers.get('ratelimit-remaining'), '0');

  // Another key of the same dealer has its own budget.
  const second = await createApiKey(a.deps.db, { integrationId: d.integration.id, livemode: false });
  const other = await client(a.url, second.key).get('/api/v1/me');
  assert.equal(other.headers.get('ratelimit-remaining'), '3');
});

test('errors after auth carry the RateLimit headers too', async () => {
  const d = await createTestDealer(a.deps.db);
  const res = await client(a.url, d.keys.live.key).get('/api/v1/me'); // 403: integration not live
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('ratelimit-limit'), null, 'refused before the limiter: auth failed');
  const bad = await client(a.url, d.keys.test.key).get('/api/v1/me?unknown=1');
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('ratelimit-limit'), '4');
  assert.equal(bad.headers.get('ratelimit-remaining'), '3');
});

test('a new window starts once the previous one is over', async () => {
  const d = await createTestDealer(a.deps.db);
  const c = client(a.url, d.keys.test.key);
  for (let i = 0; i < 5; i++) await c.get('/api/v1/me');
  assert.equal((await c.get('/api/v1/me')).status, 429);
  await a.deps
    .db('rate_limit_counters')
    .where({ bucket: `api_key:${d.keys.test.row.id}` })
    .update({ window_start: a.deps.db.raw("now() - interval '61 seconds'") });
  const res = await c.get('/api/v1/me');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('ratelimit-remaining'), '3');
});
