// API processes cache key lookups; these check the cache never outlives a change to what it
// answered, on any process, whichever way the change was made.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, waitUntil } from '../helpers/http';
import { KeyIdentityCache } from '../../domain/accounts/key-identity-cache';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';

let a: TestApi;
let b: TestApi;

before(async () => {
  a = await startTestApi();
  b = await startTestApi();
});
after(async () => Promise.all([a.close(), b.close()]));

/** Requests with the key until `api` serves it from its cache (its LISTEN connects in the background). */
async function cachedOn(api: TestApi, key: string): Promise<void> {
  await waitUntil(
    async () => {
      assert.equal((await client(api.url, key).get('/api/v1/me')).status, 200);
      return api.deps.keyCache.size > 0;
    },
    { timeoutMs: 10_000, what: 'the key to be cached' },
  );
}

test('a key revoked by hand in SQL stops working on every API process, though each had it cached', async () => {
  const d = await createTestDealer(a.deps.db);
  await cachedOn(a, d.keys.test.key);
  await cachedOn(b, d.keys.test.key);

  // Being used writes last_used_at, which must not throw the caches away.
  await a.deps.db('api_keys').where({ id: d.keys.test.row.id }).update({ last_used_at: a.deps.db.fn.now() });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(a.deps.keyCache.size > 0 && b.deps.keyCache.size > 0, 'last_used_at invalidated the cache');

  await a.deps.db('api_keys').where({ id: d.keys.test.row.id }).update({ revoked_at: a.deps.db.fn.now() });
  // Refused as an unknown key: a 401, or a 429 once this address has failed too often (the
  // failure limit is per address, and every test file shares 127.0.0.1 and the database).
  for (const api of [a, b]) {
    await refusedWithin(api, d.keys.test.key, [401, 429]);
  }
});

/**
 * Requests with `key` until `api` refuses it with one of `statuses`. Within 10 s: generous for a
 * loaded machine, and well under the cache's 30 s expiry, so only an invalidation explains it.
 */
async function refusedWithin(api: TestApi, key: string, statuses: number[]): Promise<void> {
  const seen: number[] = [];
  try {
    await waitUntil(
      async () => {
        const { status } = await client(api.url, key).get('/api/v1/me');
        seen.push(status);
        return statuses.includes(status);
      },
      { timeoutMs: 10_000 },
    );
  } catch {
    assert.fail(`expected ${statuses.join(' or ')}; the answers were ${[...new Set(seen)].join(', ')}`);
  }
}

test('live mode switched off refuses live keys on a process that had them cached', async () => {
  const d = await createTestDealer(a.deps.db);
  await a.deps.db('integrations').where({ id: d.integration.id }).update({ live_enabled: true });
  await cachedOn(b, d.keys.live.key);
  await a.deps.db('integrations').where({ id: d.integration.id }).update({ live_enabled: false });
  await refusedWithin(b, d.keys.live.key, [403]);
});

test('nothing is cached while invalidations cannot arrive, nor from a lookup older than one, nor a refused key', async () => {
  const d = await createTestDealer(a.deps.db);
  const deaf = new KeyIdentityCache();
  assert.ok(await deaf.find(a.deps.db, d.keys.test.key));
  assert.equal(deaf.size, 0, 'not listening: every lookup reads Postgres');

  const cache = new KeyIdentityCache();
  cache.setListening(true);
  const pending = cache.find(a.deps.db, d.keys.test.key);
  cache.invalidate(); // a change committed while the lookup was in flight
  assert.ok(await pending);
  assert.equal(cache.size, 0, 'an answer read before the change was stored');
  assert.ok(await cache.find(a.deps.db, d.keys.test.key));
  assert.equal(cache.size, 1);

  // A live key is refused while the integration is in test mode: not cached, so switching live
  // mode on takes effect without waiting for the notification.
  assert.equal((await cache.find(a.deps.db, d.keys.live.key))?.integrationLiveEnabled, false);
  assert.equal(cache.size, 1);

  cache.setListening(false); // the notification connection dropped
  assert.equal(cache.size, 0);
});
