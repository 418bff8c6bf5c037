import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { client } from '../helpers/http';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

async function dashboard() {
  const d = await createTestDealer(api.deps.db);
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const c = client(api.url);
  return {
    d,
    get: (path: string) => c.get(`/api/dashboard${path}`, headers),
    post: (path: string, body?: unknown) => c.post(`/api/dashboard${path}`, body, headers),
  };
}

test('lists and creates Custom Integrations; new ones start in test mode', async () => {
  const { d, get, post } = await dashboard();
  const before = await get('/integrations');
  assert.equal(before.status, 200);
  assert.deepEqual(
    before.body.data.map((i: { id: string }) => i.id),
    [d.integration.id],
  );
  const created = await post('/integrations', { name: 'Website' });
  assert.equal(created.status, 200);
  assert.equal(created.body.name, 'Website');
  assert.equal(created.body.live_enabled, false);
  const afterList = await get('/integrations');
  assert.deepEqual(
    afterList.body.data.map((i: { id: string }) => i.id),
    [d.integration.id, created.body.id],
  );
});

test('a generated key is shown once, works at once, is listed by prefix only, and stops working when revoked', async () => {
  const { d, get, post } = await dashboard();
  const gen = await post(`/integrations/${d.integration.id}/api_keys`, { livemode: false, name: 'CI' });
  assert.equal(gen.status, 200);
  assert.match(gen.body.key, /^wth_[0-9A-Za-z]{32}$/);
  assert.equal(gen.body.prefix, gen.body.key.slice(0, 12));
  assert.equal(gen.body.livemode, false);

  const me = await client(api.url, gen.body.key).get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.api_key.id, gen.body.id);

  const list = await get(`/integrations/${d.integration.id}/api_keys`);
  assert.equal(list.status, 200);
  const listed = list.body.data.find((k: { id: string }) => k.id === gen.body.id);
  assert.equal(listed.prefix, gen.body.prefix);
  assert.equal(listed.revoked_at, null);
  assert.notEqual(listed.last_used_at, null);
  assert.equal(JSON.stringify(list.body).includes(gen.body.key), false);
  assert.equal(list.body.data.length, 3); // the two default keys and this one

  const revoked = await post(`/integrations/${d.integration.id}/api_keys/${gen.body.id}/revoke`);
  assert.equal(revoked.status, 200);
  assert.notEqual(revoked.body.revoked_at, null);
  const refused = await client(api.url, gen.body.key).get('/api/v1/me');
  assert.equal(refused.status, 401);
  // Revoking again keeps the first revocation time.
  const again = await post(`/integrations/${d.integration.id}/api_keys/${gen.body.id}/revoke`);
  assert.equal(again.body.revoked_at, revoked.body.revoked_at);
});

test('switching to live mode lets live keys in; switching back refuses them again', async () => {
  const { d, post } = await dashboard();
  const gen = await post(`/integrations/${d.integration.id}/api_keys`, { livemode: true });
  assert.equal(gen.body.livemode, true);
  const live = client(api.url, gen.body.key);
  assert.equal((await live.get('/api/v1/me')).status, 403);
  const on = await post(`/integrations/${d.integration.id}/mode`, { live: true });
  assert.equal(on.status, 200);
  assert.equal(on.body.live_enabled, true);
  const me = await live.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.livemode, true);
  await post(`/integrations/${d.integration.id}/mode`, { live: false });
  assert.equal((await live.get('/api/v1/me')).status, 403);
});

test("another dealer's integration and keys are 404, never touched", async () => {
  const { post, get } = await dashboard();
  const other = await createTestDealer(api.deps.db);
  const id = other.integration.id;
  for (const res of [
    await get(`/integrations/${id}/api_keys`),
    await post(`/integrations/${id}/api_keys`, { livemode: false }),
    await post(`/integrations/${id}/mode`, { live: true }),
    await post(`/integrations/${id}/api_keys/${other.keys.test.row.id}/revoke`),
    await post(`/integrations/${randomUUID()}/mode`, { live: true }),
  ]) {
    assert.equal(res.status, 404);
    assert.equal(res.body.error.type, 'not_found_error');
  }
  const row = await api.deps.db('integrations').where({ id }).first();
  assert.equal(row.live_enabled, false);
  assert.equal((await client(api.url, other.keys.test.key).get('/api/v1/me')).status, 200);
});

test('a key id from another integration of the same dealer is 404 under this one', async () => {
  const { d, post } = await dashboard();
  const second = await post('/integrations', { name: 'Second' });
  const res = await post(`/integrations/${second.body.id}/api_keys/${d.keys.test.row.id}/revoke`);
  assert.equal(res.status, 404);
  assert.equal(res.body.error.param, 'keyId');
});
