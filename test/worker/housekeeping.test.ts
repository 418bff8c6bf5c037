// Cleanup of expired rows runs in the worker, beside the dispatcher, not on API requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { claimIdempotencyKey } from '../../domain/platform/idempotency-keys';
import { hitRateLimit } from '../../domain/platform/rate-limits';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { startHousekeeping } from '../../worker/housekeeping';
import { waitUntil } from '../helpers/http';
import { createTestDealer, testConfig } from '../helpers/stack';

let db: Db;
before(() => {
  db = createDb(testConfig());
});
after(() => db.destroy());

test('the worker purges expired idempotency keys and dead rate-limit windows, and keeps live ones', async () => {
  const d = await createTestDealer(db);
  const apiKeyId = d.keys.test.row.id;
  const claim = (key: string) => claimIdempotencyKey(db, { apiKeyId, key, method: 'POST', path: '/x', hash: 'h' });
  const [oldKey, newKey] = [randomUUID(), randomUUID()];
  await claim(oldKey);
  await claim(newKey);
  await db('idempotency_keys')
    .where({ api_key_id: apiKeyId, key: oldKey })
    .update({ created_at: db.raw("now() - interval '25 hours'") });
  const [oldBucket, newBucket] = [`hk-old-${randomUUID()}`, `hk-new-${randomUUID()}`];
  await hitRateLimit(db, oldBucket, 10, 60_000);
  await hitRateLimit(db, newBucket, 10, 60_000);
  await db('rate_limit_counters')
    .where({ bucket: oldBucket })
    .update({ window_start: db.raw("now() - interval '2 hours'") });

  const housekeeping = startHousekeeping(
    { db, logger: createLogger({ level: 'silent', name: 'housekeeping-test' }) },
    { intervalMs: 100 },
  );
  try {
    await waitUntil(
      async () =>
        !(await db('idempotency_keys').where({ api_key_id: apiKeyId, key: oldKey }).first()) &&
        !(await db('rate_limit_counters').where({ bucket: oldBucket }).first()),
      { what: 'expired rows purged' },
    );
  } finally {
    await housekeeping.stop();
  }
  assert.ok(await db('idempotency_keys').where({ api_key_id: apiKeyId, key: newKey }).first(), 'a live key stays');
  assert.ok(await db('rate_limit_counters').where({ bucket: newBucket }).first(), 'a live window stays');
});
