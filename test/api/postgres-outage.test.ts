// While PostgreSQL is unreachable the API answers 503 with Retry-After and a stable code, so
// clients know to retry. Drilled for real: a throwaway cluster of its own is stopped mid-test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { ROOT } from '../../scripts/stack/boot';
import { createDb, migrateLatest } from '../../lib/db';
import { startLocalPostgres, type LocalPostgres } from '../../scripts/stack/postgres';
import { freePort } from '../../scripts/stack/ports';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';

let pg: LocalPostgres;
let api: TestApi;
let stopped = false;
const baseDir = path.join(ROOT, '.data', 'test', `pg-outage-${process.pid}`);

before(async () => {
  pg = await startLocalPostgres({ baseDir, port: await freePort(), ephemeral: true });
  const db = createDb({ DATABASE_URL: pg.url, DATABASE_POOL_MAX: 2 });
  await migrateLatest(db);
  await db.destroy();
  api = await startTestApi({ DATABASE_URL: pg.url, API_UNAVAILABLE_RETRY_AFTER_S: '7' });
});
after(async () => {
  await api.close();
  if (!stopped) await pg.stop();
  fs.rmSync(baseDir, { recursive: true, force: true });
});

test('PostgreSQL down: 503 with Retry-After and code service_unavailable, quickly, on every kind of route', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key, { checkContract: false });
  assert.equal((await c.get('/api/v1/deliveries')).status, 200);

  await pg.stop();
  stopped = true;
  for (const [method, p] of [
    ['GET', '/api/v1/deliveries'],
    ['POST', '/api/v1/customers'],
    ['GET', '/api/v1/events'],
    ['GET', '/api/v1/deliveries'],
  ] as const) {
    const started = Date.now();
    const res = await c.call(method, p, method === 'POST' ? { email: 'a@example.com', name: 'A' } : undefined);
    const ms = Date.now() - started;
    assert.equal(res.status, 503, `${method} ${p}: ${JSON.stringify(res.body)}`);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.deepEqual(res.body.error.code, 'service_unavailable');
    assert.equal(res.body.error.type, 'api_error');
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
    assert.ok(ms < 12_000, `answered in ${ms} ms`);
  }
});
