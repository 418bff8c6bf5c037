import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { client } from '../helpers/http';
import { createDb } from '../../lib/db';
import { LeasedRateLimiter } from '../../domain/platform/rate-limits';
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
  assert.equal(res.headers.get('ratelimit-limit'), '4', 'a known key is counted even when refused');
  const bad = await client(a.url, d.keys.test.key).get('/api/v1/me?unknown=1');
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('ratelimit-limit'), '4');
  assert.equal(bad.headers.get('ratelimit-remaining'), '3');
  const notJson = await client(a.url, d.keys.test.key).call('POST', '/api/v1/customers', 'a=b', {
    'content-type': 'text/plain',
  });
  assert.equal(notJson.status, 415);
  assert.equal(notJson.headers.get('ratelimit-remaining'), '2');
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

test('a busy key takes its hits in leases: one write per lease, and across processes the limit still holds exactly', async () => {
  const db = createDb(a.deps.config);
  let queries = 0;
  db.on('query', () => queries++);
  try {
    const [p1, p2] = [new LeasedRateLimiter(db), new LeasedRateLimiter(db)];
    const bucket = `test:${randomUUID()}`;
    const limit = 500; // leases of 10
    const seen: Record<string, number[]> = { p1: [], p2: [] };
    for (let i = 0; i < limit; i++) {
      const [name, limiter] = i % 2 === 0 ? (['p1', p1] as const) : (['p2', p2] as const);
      const w = await limiter.hit(bucket, limit, 60_000);
      assert.equal(w.exceeded, false, `hit ${i + 1} of ${limit} refused`);
      seen[name]?.push(w.remaining);
    }
    assert.ok(queries <= limit / 10 + 2, `${queries} round trips for ${limit} hits`);
    // Each process's own answers count down; together they never allowed more than the limit.
    for (const r of Object.values(seen)) assert.ok(r.every((v, i) => i === 0 || v < (r[i - 1] as number)));
    assert.equal((await p1.hit(bucket, limit, 60_000)).exceeded, true);
    assert.equal((await p2.hit(bucket, limit, 60_000)).exceeded, true);
  } finally {
    await db.destroy();
  }
});

test('a small limit is counted one hit at a time, as exact as without leases', async () => {
  const limiter = new LeasedRateLimiter(a.deps.db);
  const bucket = `test:${randomUUID()}`;
  const remaining: number[] = [];
  for (let i = 0; i < 3; i++) remaining.push((await limiter.hit(bucket, 3, 60_000)).remaining);
  assert.deepEqual(remaining, [2, 1, 0]);
  const row = await a.deps.db('rate_limit_counters').where({ bucket }).first('count');
  assert.equal(row.count, 3, 'nothing claimed ahead');
  assert.equal((await limiter.hit(bucket, 3, 60_000)).exceeded, true);
});
