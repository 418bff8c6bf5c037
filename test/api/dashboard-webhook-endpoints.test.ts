import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';
import { validSecrets } from '../../domain/webhooks/endpoint-store';

let api: TestApi;
let strict: TestApi;

before(async () => {
  api = await startTestApi();
  strict = await startTestApi({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
});
after(async () => Promise.all([api.close(), strict.close()]));

async function dashboardFor(target: TestApi = api) {
  const dealer = await createTestDealer(target.deps.db);
  const headers = await dashboardSessionHeaders(target.deps.db, dealer.dealer.id);
  const c = client(target.url);
  const base = `/api/dashboard/integrations/${dealer.integration.id}/webhook_endpoints`;
  return {
    dealer,
    base,
    get: (path: string) => c.get(path, headers),
    post: (path: string, body?: unknown) => c.post(path, body, headers),
    patch: (path: string, body?: unknown) => c.patch(path, body, headers),
    delete: (path: string) => c.delete(path, headers),
    headers,
  };
}

test('dashboard endpoints: create in either mode, list by ?livemode=, get, update, delete', async () => {
  const d = await dashboardFor();
  const testEp = await d.post(d.base, { url: 'http://hooks.example.com/t', enabled_events: ['order.*'] });
  assert.equal(testEp.status, 200, JSON.stringify(testEp.body));
  assert.equal(testEp.body.livemode, false, 'test mode by default');
  assert.match(testEp.body.secret, /^whsec_/);
  const liveEp = await d.post(d.base, { url: 'https://hooks.example.com/l', livemode: true, description: 'prod' });
  assert.equal(liveEp.body.livemode, true);
  assert.equal(liveEp.body.integration_id, d.dealer.integration.id);

  const testList = await d.get(d.base);
  assert.deepEqual(
    testList.body.data.map((e: any) => e.id),
    [testEp.body.id],
  );
  const liveList = await d.get(`${d.base}?livemode=true`);
  assert.deepEqual(
    liveList.body.data.map((e: any) => e.id),
    [liveEp.body.id],
  );
  assert.equal(JSON.stringify([testList.body, liveList.body]).includes('whsec_'), false);

  const got = await d.get(`${d.base}/${liveEp.body.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.secret, undefined);
  assert.equal(got.body.description, 'prod');

  const patched = await d.patch(`${d.base}/${liveEp.body.id}`, {
    status: 'disabled',
    enabled_events: ['listing.sold'],
  });
  assert.equal(patched.body.status, 'disabled');
  assert.deepEqual(patched.body.enabled_events, ['listing.sold']);
  const reenabled = await d.patch(`${d.base}/${liveEp.body.id}`, { status: 'enabled' });
  assert.equal(reenabled.body.disabled_reason, null);

  // The same endpoints through the integration's API key (test mode).
  const viaApi = await client(api.url, d.dealer.keys.test.key).get(`/api/v1/webhook_endpoints/${testEp.body.id}`);
  assert.equal(viaApi.body.url, 'http://hooks.example.com/t');

  const deleted = await d.delete(`${d.base}/${testEp.body.id}`);
  assert.equal(deleted.body.deleted, true);
  assert.equal((await d.get(`${d.base}/${testEp.body.id}`)).status, 404);
});

test('dashboard endpoints: rotate with a grace period, or none', async () => {
  const d = await dashboardFor();
  const key = api.deps.config.secretsKey;
  const ep = (await d.post(d.base, { url: 'https://hooks.example.com/r', livemode: true })).body;
  const r1 = await d.post(`${d.base}/${ep.id}/rotate_secret`, { grace_period_seconds: 600 });
  assert.equal(r1.status, 200, JSON.stringify(r1.body));
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id), [r1.body.secret, ep.secret]);
  const r2 = await d.post(`${d.base}/${ep.id}/rotate_secret`, { grace_period_seconds: 0 });
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id), [r2.body.secret]);
  const tooLong = await d.post(`${d.base}/${ep.id}/rotate_secret`, { grace_period_seconds: 8 * 86400 });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.error.param, 'grace_period_seconds');
});

test("dashboard endpoints: another dealer's integration and endpoints are 404, and state changes need CSRF", async () => {
  const mine = await dashboardFor();
  const theirs = await dashboardFor();
  const ep = (await theirs.post(theirs.base, { url: 'https://hooks.example.com/x' })).body;

  // Their integration in my session.
  for (const res of [
    await mine.get(theirs.base),
    await mine.post(theirs.base, { url: 'https://hooks.example.com/y' }),
    await mine.get(`${theirs.base}/${ep.id}`),
    await mine.patch(`${theirs.base}/${ep.id}`, { description: 'mine now' }),
    await mine.post(`${theirs.base}/${ep.id}/rotate_secret`, {}),
    await mine.delete(`${theirs.base}/${ep.id}`),
  ]) {
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(res.body.error.type, 'not_found_error');
  }
  // Listing a foreign integration shows nothing of theirs.
  assert.equal((await mine.get(theirs.base)).body.error.code, 'resource_missing');
  // Their endpoint id under my integration.
  assert.equal((await mine.get(`${mine.base}/${ep.id}`)).status, 404);
  assert.equal((await theirs.get(`${theirs.base}/${ep.id}`)).body.description, null, 'untouched');

  // A channel integration that is not a Custom Integration cannot own endpoints.
  const shopify = await api.deps
    .db('integrations')
    .where({ dealer_id: mine.dealer.dealer.id, kind: 'shopify' })
    .first('id');
  const res = await mine.post(`/api/dashboard/integrations/${shopify.id}/webhook_endpoints`, {
    url: 'https://hooks.example.com/z',
  });
  assert.equal(res.status, 404);

  const noCsrf = await client(api.url).post(
    mine.base,
    { url: 'https://hooks.example.com/c' },
    {
      cookie: mine.headers.cookie as string,
    },
  );
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.error.code, 'csrf_token_invalid');
  assert.equal((await client(api.url).get(mine.base)).status, 401);
  assert.deepEqual((await mine.get(mine.base)).body.data, []);
});

test('dashboard endpoints: the URL policy applies here too', async () => {
  const d = await dashboardFor(strict);
  for (const url of ['http://192.168.0.10/hook', 'http://localhost:8080/hook']) {
    const res = await d.post(d.base, { url });
    assert.equal(res.status, 400, url);
    assert.equal(res.body.error.code, 'url_not_allowed');
    assert.equal(res.body.error.param, 'url');
  }
  const live = await d.post(d.base, { url: 'http://93.184.216.34/hook', livemode: true });
  assert.equal(live.body.error.message, 'Live mode endpoints must use https.');
  const bad = await d.post(d.base, { url: 'https://93.184.216.34/hook', enabled_events: ['*', 'nope'] });
  assert.equal(bad.body.error.param, 'enabled_events[1]');
  assert.equal((await d.get('/api/dashboard/integrations/not-a-uuid/webhook_endpoints')).status, 400);
});
