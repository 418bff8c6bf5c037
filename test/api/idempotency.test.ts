import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { client } from '../helpers/http';
import { probeRoutes, type Probe } from '../helpers/probe-routes';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import { purgeIdempotencyKeys } from '../../domain/platform/idempotency-keys';

let api: TestApi;
let probe: Probe;

before(async () => {
  probe = probeRoutes();
  api = await startTestApi({}, { extraV1Routes: (r) => probe.register(r) });
});
after(async () => api.close());

const idem = (key: string) => ({ 'idempotency-key': key });

test('same key, same request: the first answer is replayed with Idempotent-Replayed, the handler runs once', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  const first = await c.post('/api/v1/probe', { name: 'a' }, idem(key));
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const calls = probe.calls;
  const second = await c.post('/api/v1/probe', { name: 'a' }, idem(key));
  assert.equal(second.status, 200);
  assert.deepEqual(second.body, first.body);
  assert.equal(second.headers.get('idempotent-replayed'), 'true');
  assert.equal(probe.calls, calls);
  // Without a key every request runs.
  await c.post('/api/v1/probe', { name: 'a' });
  assert.equal(probe.calls, calls + 1);
});

test('a 4xx answer is replayed too', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  const first = await c.post('/api/v1/probe', { name: 'a', outcome: 'conflict' }, idem(key));
  assert.equal(first.status, 409);
  const calls = probe.calls;
  const second = await c.post('/api/v1/probe', { name: 'a', outcome: 'conflict' }, idem(key));
  assert.equal(second.status, 409);
  assert.deepEqual(second.body, first.body);
  assert.equal(second.headers.get('idempotent-replayed'), 'true');
  assert.equal(probe.calls, calls);
});

test('the same key with a different body or path is a 409 idempotency_key_reused', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  assert.equal((await c.post('/api/v1/probe', { name: 'a' }, idem(key))).status, 200);
  const calls = probe.calls;
  const otherBody = await c.post('/api/v1/probe', { name: 'b' }, idem(key));
  assert.equal(otherBody.status, 409);
  assert.equal(otherBody.body.error.type, 'idempotency_error');
  assert.equal(otherBody.body.error.code, 'idempotency_key_reused');
  const otherPath = await c.post('/api/v1/probe?x=1', { name: 'a' }, idem(key));
  assert.equal(otherPath.status, 409);
  assert.equal(otherPath.body.error.code, 'idempotency_key_reused');
  assert.equal(probe.calls, calls);
});

test('a key whose first request is still in flight is a 409 idempotency_key_in_use', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  const { requestHash } = await import('../../domain/platform/idempotency-keys');
  // What the first request leaves while its handler runs: a claimed row with no answer yet.
  await api.deps.db('idempotency_keys').insert({
    api_key_id: d.keys.test.row.id,
    key,
    method: 'POST',
    path: '/api/v1/probe',
    request_hash: requestHash('POST', '/api/v1/probe', { name: 'a' }),
  });
  const res = await c.post('/api/v1/probe', { name: 'a' }, idem(key));
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'idempotency_key_in_use');
  // Abandoned by a dead process for long enough, it is taken over and runs.
  await api.deps
    .db('idempotency_keys')
    .where({ api_key_id: d.keys.test.row.id, key })
    .update({ created_at: api.deps.db.raw("now() - interval '10 minutes'") });
  const taken = await c.post('/api/v1/probe', { name: 'a' }, idem(key));
  assert.equal(taken.status, 200);
  assert.equal(taken.headers.get('idempotent-replayed'), null);
});

test('concurrent requests with one key: exactly one runs, the others are replays or in_use', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  const calls = probe.calls;
  const answers = await Promise.all(
    Array.from({ length: 8 }, () => c.post('/api/v1/probe', { name: 'race' }, idem(key))),
  );
  assert.equal(probe.calls, calls + 1);
  for (const a of answers) {
    if (a.status === 409) assert.equal(a.body.error.code, 'idempotency_key_in_use');
    else assert.equal(a.status, 200);
  }
  assert.equal(answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') === null).length, 1);
});

test('a 5xx is not stored: the key is released and a retry runs again', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  const calls = probe.calls;
  const crashed = await c.post('/api/v1/probe', { name: 'x', outcome: 'crash' }, idem(key));
  assert.equal(crashed.status, 500);
  assert.equal(crashed.body.error.type, 'api_error');
  const again = await c.post('/api/v1/probe', { name: 'x', outcome: 'crash' }, idem(key));
  assert.equal(again.status, 500);
  assert.equal(again.headers.get('idempotent-replayed'), null);
  assert.equal(probe.calls, calls + 2);
  const row = await api.deps.db('idempotency_keys').where({ api_key_id: d.keys.test.row.id, key }).first();
  assert.equal(row, undefined);
});

test('keys are scoped per API key', async () => {
  const d = await createTestDealer(api.deps.db);
  const e = await createTestDealer(api.deps.db);
  const key = randomUUID();
  const calls = probe.calls;
  await client(api.url, d.keys.test.key).post('/api/v1/probe', { name: 'a' }, idem(key));
  const other = await client(api.url, e.keys.test.key).post('/api/v1/probe', { name: 'a' }, idem(key));
  assert.equal(other.headers.get('idempotent-replayed'), null);
  assert.equal(probe.calls, calls + 2);
});

test('an empty Idempotency-Key or one longer than 255 characters is a 400 naming the header', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const ok = await c.post('/api/v1/probe', { name: 'a' }, idem('k'.repeat(255)));
  assert.equal(ok.status, 200);
  const res = await c.post('/api/v1/probe', { name: 'a' }, idem('k'.repeat(256)));
  assert.equal(res.status, 400);
  assert.equal(res.body.error.param, 'Idempotency-Key');
  const empty = await c.post('/api/v1/probe', { name: 'a' }, idem(''));
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.param, 'Idempotency-Key');
});

test('keys older than 24 hours are reusable and purged', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const key = randomUUID();
  await c.post('/api/v1/probe', { name: 'old' }, idem(key));
  const where = { api_key_id: d.keys.test.row.id, key };
  await api.deps
    .db('idempotency_keys')
    .where(where)
    .update({ created_at: api.deps.db.raw("now() - interval '25 hours'") });
  const calls = probe.calls;
  const fresh = await c.post('/api/v1/probe', { name: 'new body' }, idem(key));
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.name, 'new body');
  assert.equal(probe.calls, calls + 1);

  await api.deps
    .db('idempotency_keys')
    .where(where)
    .update({ created_at: api.deps.db.raw("now() - interval '25 hours'") });
  assert.ok((await purgeIdempotencyKeys(api.deps.db)) >= 1);
  assert.equal(await api.deps.db('idempotency_keys').where(where).first(), undefined);
});

test('the OpenAPI document describes Idempotency-Key on every v1 POST', async () => {
  const doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  let posts = 0;
  for (const [path, item] of Object.entries<Record<string, { parameters?: { name: string; in: string }[] }>>(
    doc.paths,
  )) {
    if (!path.startsWith('/api/v1/') || !item.post) continue;
    posts += 1;
    const header = item.post.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    assert.ok(header, `${path} documents Idempotency-Key`);
  }
  assert.ok(posts >= 1);
});
