import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import { validSecrets, type SecretRow } from '../../domain/webhooks/endpoint-store';
import { MAX_ENDPOINTS_PER_INTEGRATION } from '../../domain/webhooks/endpoint-service';

let api: TestApi;
// A deployment that does not allow private networks (production's default).
let strict: TestApi;

before(async () => {
  api = await startTestApi();
  strict = await startTestApi({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
});
after(async () => Promise.all([api.close(), strict.close()]));

const ENDPOINT_KEYS = [
  'created_at',
  'description',
  'disabled_at',
  'disabled_reason',
  'enabled_events',
  'id',
  'integration_id',
  'kind',
  'listener',
  'livemode',
  'object',
  'status',
  'updated_at',
  'url',
];

test('endpoints: create shows the secret once; get, list, update and delete follow', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);

  const created = await c.post('/api/v1/webhook_endpoints', {
    url: 'https://hooks.example.com/wth',
    description: 'ERP',
    enabled_events: ['listing.*', 'order.received', 'order.received'],
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const ep = created.body;
  assert.match(ep.id, /^we_/);
  assert.match(ep.secret, /^whsec_[0-9A-Za-z]{32}$/);
  assert.deepEqual(Object.keys(ep).sort(), [...ENDPOINT_KEYS, 'secret'].sort());
  assert.equal(ep.object, 'webhook_endpoint');
  assert.equal(ep.kind, 'url');
  assert.equal(ep.listener, null);
  assert.equal(ep.livemode, false);
  assert.equal(ep.integration_id, dealer.integration.id);
  assert.equal(ep.url, 'https://hooks.example.com/wth');
  assert.deepEqual(ep.enabled_events, ['listing.*', 'order.received'], 'duplicates dropped');
  assert.equal(ep.status, 'enabled');
  assert.equal(ep.disabled_reason, null);

  const got = await c.get(`/api/v1/webhook_endpoints/${ep.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(Object.keys(got.body).sort(), ENDPOINT_KEYS);
  const { secret: _secret, ...withoutSecret } = ep;
  assert.deepEqual(got.body, withoutSecret);

  const list = await c.get('/api/v1/webhook_endpoints');
  assert.equal(list.body.object, 'list');
  assert.deepEqual(
    list.body.data.map((e: any) => e.id),
    [ep.id],
  );
  assert.equal(list.body.has_more, false);
  assert.equal(list.body.next_cursor, null);

  const patched = await c.patch(`/api/v1/webhook_endpoints/${ep.id}`, {
    url: 'https://hooks.example.com/v2',
    description: null,
    enabled_events: ['*'],
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.url, 'https://hooks.example.com/v2');
  assert.equal(patched.body.description, null);
  assert.deepEqual(patched.body.enabled_events, ['*']);
  assert.ok(patched.body.updated_at >= ep.updated_at);

  const deleted = await c.delete(`/api/v1/webhook_endpoints/${ep.id}`);
  assert.deepEqual(deleted.body, { id: ep.id, object: 'webhook_endpoint', livemode: false, deleted: true });
  assert.equal((await c.get(`/api/v1/webhook_endpoints/${ep.id}`)).status, 404);
  assert.equal((await c.delete(`/api/v1/webhook_endpoints/${ep.id}`)).status, 404);
  assert.equal(await api.deps.db('webhook_endpoint_secrets').where({ endpoint_id: ep.id }).first(), undefined);
});

test('endpoints: disabling records a reason; enabling again clears it', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const { body: ep } = await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/a' });
  const off = await c.patch(`/api/v1/webhook_endpoints/${ep.id}`, { status: 'disabled' });
  assert.equal(off.body.status, 'disabled');
  assert.equal(off.body.disabled_reason, 'manual');
  assert.equal(typeof off.body.disabled_at, 'string');

  // An endpoint the delivery system disabled keeps its reason when disabled again by hand.
  await api.deps.db('webhook_endpoints').where({ id: ep.id }).update({ disabled_reason: 'failing' });
  const again = await c.patch(`/api/v1/webhook_endpoints/${ep.id}`, { status: 'disabled' });
  assert.equal(again.body.disabled_reason, 'failing');

  const on = await c.patch(`/api/v1/webhook_endpoints/${ep.id}`, { status: 'enabled' });
  assert.equal(on.body.status, 'enabled');
  assert.equal(on.body.disabled_reason, null);
  assert.equal(on.body.disabled_at, null);
});

test('endpoints: test and live keys see only their own mode', async () => {
  const dealer = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: dealer.integration.id }).update({ live_enabled: true });
  const testKey = client(api.url, dealer.keys.test.key);
  const liveKey = client(api.url, dealer.keys.live.key);

  const t = (await testKey.post('/api/v1/webhook_endpoints', { url: 'http://hooks.example.com/test' })).body;
  const l = (await liveKey.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/live' })).body;
  assert.equal(t.livemode, false);
  assert.equal(l.livemode, true);

  assert.deepEqual(
    (await testKey.get('/api/v1/webhook_endpoints')).body.data.map((e: any) => e.id),
    [t.id],
  );
  assert.deepEqual(
    (await liveKey.get('/api/v1/webhook_endpoints')).body.data.map((e: any) => e.id),
    [l.id],
  );
  for (const [key, foreign] of [
    [testKey, l.id],
    [liveKey, t.id],
  ] as const) {
    assert.equal((await key.get(`/api/v1/webhook_endpoints/${foreign}`)).status, 404);
    assert.equal((await key.patch(`/api/v1/webhook_endpoints/${foreign}`, { description: 'x' })).status, 404);
    assert.equal((await key.post(`/api/v1/webhook_endpoints/${foreign}/rotate_secret`, {})).status, 404);
    assert.equal((await key.delete(`/api/v1/webhook_endpoints/${foreign}`)).status, 404);
  }

  // Another dealer's key sees none of them.
  const other = client(api.url, (await createTestDealer(api.deps.db)).keys.test.key);
  const miss = await other.get(`/api/v1/webhook_endpoints/${t.id}`);
  assert.equal(miss.status, 404);
  assert.equal(miss.body.error.type, 'not_found_error');
  assert.deepEqual((await other.get('/api/v1/webhook_endpoints')).body.data, []);
});

test('endpoints: the secret is never shown again and is stored encrypted', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const { body: ep } = await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/s' });
  const secret: string = ep.secret;
  for (const res of [
    await c.get(`/api/v1/webhook_endpoints/${ep.id}`),
    await c.get('/api/v1/webhook_endpoints'),
    await c.patch(`/api/v1/webhook_endpoints/${ep.id}`, { description: 'changed' }),
  ]) {
    const text = JSON.stringify(res.body);
    assert.equal(text.includes(secret), false);
    assert.equal(text.includes('whsec_'), false);
  }
  const rows = await api.deps.db<SecretRow>('webhook_endpoint_secrets').where({ endpoint_id: ep.id });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.ciphertext.includes(Buffer.from(secret)), false);
  assert.equal(rows[0]?.ciphertext.toString('latin1').includes(secret.slice(6)), false);
  assert.deepEqual(await validSecrets(api.deps.db, api.deps.config.secretsKey, ep.id), [secret]);
});

test('endpoints: rotation keeps old secrets for the grace period, or retires them with grace 0', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const key = api.deps.config.secretsKey;
  const { body: ep } = await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/r' });

  const r1 = await c.post(`/api/v1/webhook_endpoints/${ep.id}/rotate_secret`, { grace_period_seconds: 3600 });
  assert.equal(r1.status, 200, JSON.stringify(r1.body));
  assert.match(r1.body.secret, /^whsec_/);
  assert.notEqual(r1.body.secret, ep.secret);
  assert.equal(r1.body.id, ep.id);
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id), [r1.body.secret, ep.secret]);
  const graceEnd = new Date(r1.body.previous_secrets_expire_at);
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id, new Date(graceEnd.getTime() + 1)), [r1.body.secret]);

  // The default grace is 24 hours.
  const r2 = await c.post(`/api/v1/webhook_endpoints/${ep.id}/rotate_secret`);
  const r2End = new Date(r2.body.previous_secrets_expire_at).getTime();
  assert.ok(r2End - Date.now() > 23 * 3_600_000 && r2End - Date.now() <= 24 * 3_600_000);
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id), [r2.body.secret, r1.body.secret, ep.secret]);

  const r3 = await c.post(`/api/v1/webhook_endpoints/${ep.id}/rotate_secret`, { grace_period_seconds: 0 });
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id), [r3.body.secret]);
  assert.equal(JSON.stringify((await c.get(`/api/v1/webhook_endpoints/${ep.id}`)).body).includes('whsec_'), false);

  for (const bad of [-1, 604_801, 1.5, '60']) {
    const res = await c.post(`/api/v1/webhook_endpoints/${ep.id}/rotate_secret`, { grace_period_seconds: bad });
    assert.equal(res.status, 400, String(bad));
    assert.equal(res.body.error.param, 'grace_period_seconds');
  }
  assert.deepEqual(await validSecrets(api.deps.db, key, ep.id), [r3.body.secret], 'refused rotations change nothing');
});

test('endpoints: subscriptions must be *, a namespace wildcard or a catalog event type', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const ok = await c.post('/api/v1/webhook_endpoints', {
    url: 'https://hooks.example.com/e',
    enabled_events: ['*', 'listing.*', 'order.*', 'customer.*', 'integration.*', 'listing.sold'],
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(
    (await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/d' })).body.enabled_events,
    ['*'],
  );

  for (const [events, param] of [
    [['listing.*', 'listing.exploded'], 'enabled_events[1]'],
    [['payment.*'], 'enabled_events[0]'],
    [['listing'], 'enabled_events[0]'],
    [['order.received', '*.*'], 'enabled_events[1]'],
    [[], 'enabled_events'],
  ] as const) {
    const res = await c.post('/api/v1/webhook_endpoints', {
      url: 'https://hooks.example.com/e',
      enabled_events: events,
    });
    assert.equal(res.status, 400, JSON.stringify(events));
    assert.equal(res.body.error.param, param);
  }
  const bad = await c.patch(`/api/v1/webhook_endpoints/${ok.body.id}`, { enabled_events: ['order.shipped'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.param, 'enabled_events[0]');
  assert.match(bad.body.error.message, /'order\.shipped' is not an event type; use '\*', 'listing\.\*'/);

  const unknown = await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/e', secret: 'x' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'parameter_unknown');
  const missing = await c.post('/api/v1/webhook_endpoints', {});
  assert.equal(missing.body.error.param, 'url');
});

test('endpoints: at most a fixed number per integration and mode (422 beyond)', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  for (let i = 0; i < MAX_ENDPOINTS_PER_INTEGRATION; i += 1) {
    const res = await c.post('/api/v1/webhook_endpoints', { url: `https://hooks.example.com/${i}` });
    assert.equal(res.status, 200);
  }
  const over = await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/over' });
  assert.equal(over.status, 422);
  assert.equal(over.body.error.code, 'endpoint_limit_reached');
  assert.match(over.body.error.message, /at most 16 test mode webhook endpoints/);

  // Pagination over them: oldest first, cursor by id.
  const first = await c.get('/api/v1/webhook_endpoints?limit=10');
  assert.equal(first.body.data.length, 10);
  assert.equal(first.body.has_more, true);
  assert.equal(first.body.next_cursor, first.body.data[9].id);
  const rest = await c.get(`/api/v1/webhook_endpoints?limit=10&starting_after=${first.body.next_cursor}`);
  assert.equal(rest.body.data.length, MAX_ENDPOINTS_PER_INTEGRATION - 10);
  assert.equal(rest.body.has_more, false);
  const urls = [...first.body.data, ...rest.body.data].map((e: any) => e.url);
  assert.deepEqual(
    urls,
    Array.from({ length: MAX_ENDPOINTS_PER_INTEGRATION }, (_, i) => `https://hooks.example.com/${i}`),
  );
  assert.equal((await c.get('/api/v1/webhook_endpoints?limit=0')).body.error.param, 'limit');

  // Deleting one makes room again.
  await c.delete(`/api/v1/webhook_endpoints/${first.body.data[0].id}`);
  assert.equal((await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/over' })).status, 200);
});

test('endpoints: concurrent creates cannot exceed the limit', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  for (let i = 0; i < MAX_ENDPOINTS_PER_INTEGRATION - 1; i += 1) {
    assert.equal((await c.post('/api/v1/webhook_endpoints', { url: `https://hooks.example.com/${i}` })).status, 200);
  }
  const racing = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      c.post('/api/v1/webhook_endpoints', { url: `https://hooks.example.com/r${i}` }),
    ),
  );
  assert.deepEqual(racing.map((r) => r.status).sort(), [200, 422, 422, 422, 422]);
  const count = await api.deps
    .db('webhook_endpoints')
    .where({ integration_id: dealer.integration.id })
    .count({ n: '*' });
  assert.equal(Number(count[0]?.n), MAX_ENDPOINTS_PER_INTEGRATION);
});

test('endpoints: concurrent rotations each leave their secret valid, newest first', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const { body: ep } = await c.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/cr' });
  const rotations = await Promise.all(
    Array.from({ length: 3 }, () => c.post(`/api/v1/webhook_endpoints/${ep.id}/rotate_secret`, {})),
  );
  assert.deepEqual(
    rotations.map((r) => r.status),
    [200, 200, 200],
  );
  const valid = await validSecrets(api.deps.db, api.deps.config.secretsKey, ep.id);
  assert.equal(valid.length, 4);
  assert.equal(valid[3], ep.secret, 'the original is the oldest');
  assert.deepEqual(new Set(valid.slice(0, 3)), new Set(rotations.map((r) => r.body.secret)));
  // Each rotation saw the ones before it: the newest one's rotation expired every other.
  const rows = await api.deps
    .db<SecretRow>('webhook_endpoint_secrets')
    .where({ endpoint_id: ep.id })
    .orderBy('created_at', 'desc');
  assert.equal(rows[0]?.expires_at, null);
  assert.ok(rows.slice(1).every((r) => r.expires_at !== null));
});

test('URL policy: private and loopback destinations are refused with a clear 400', async () => {
  const dealer = await createTestDealer(strict.deps.db);
  const c = client(strict.url, dealer.keys.test.key);
  for (const [url, pattern] of [
    ['http://10.0.0.1/hook', /10\.0\.0\.1 is in a blocked range \(private\)/],
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is in a blocked range \(loopback\)/],
    ['http://[::1]/hook', /::1 is in a blocked range \(loopback\)/],
    ['http://169.254.169.254/latest/meta-data/', /blocked range \(cloud metadata\)/],
    ['http://169.254.10.1/hook', /blocked range \(link-local\)/],
    ['http://localhost:3000/hook', /localhost is this machine \(loopback\)/],
    ['https://user:pass@hooks.example.com/hook', /must not contain credentials/],
    ['https://no-such-host.invalid/hook', /no-such-host\.invalid does not exist/],
  ] as const) {
    const res = await c.post('/api/v1/webhook_endpoints', { url });
    assert.equal(res.status, 400, url);
    assert.equal(res.body.error.type, 'invalid_request_error');
    assert.equal(res.body.error.code, 'url_not_allowed', url);
    assert.equal(res.body.error.param, 'url');
    assert.match(res.body.error.message, pattern);
  }
  // Not http(s) at all: the schema (and the OpenAPI pattern) refuses it before the policy.
  const ftp = await c.post('/api/v1/webhook_endpoints', { url: 'ftp://hooks.example.com/hook' });
  assert.equal(ftp.status, 400);
  assert.equal(ftp.body.error.param, 'url');
  const garbage = await c.post('/api/v1/webhook_endpoints', { url: 'not a url' });
  assert.equal(garbage.body.error.code, 'parameter_invalid');
  assert.equal(garbage.body.error.param, 'url');
  assert.deepEqual((await c.get('/api/v1/webhook_endpoints')).body.data, [], 'nothing was saved');

  // Changing an endpoint's URL is held to the same rules.
  const ep = (await c.post('/api/v1/webhook_endpoints', { url: 'https://93.184.216.34/hook' })).body;
  assert.equal(ep.object, 'webhook_endpoint', JSON.stringify(ep));
  const moved = await c.patch(`/api/v1/webhook_endpoints/${ep.id}`, { url: 'http://192.168.1.10/hook' });
  assert.equal(moved.status, 400);
  assert.equal(moved.body.error.code, 'url_not_allowed');
  assert.equal((await c.get(`/api/v1/webhook_endpoints/${ep.id}`)).body.url, 'https://93.184.216.34/hook');
});

test('URL policy: live mode requires https, whatever the deployment allows', async () => {
  const dealer = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: dealer.integration.id }).update({ live_enabled: true });
  const live = client(api.url, dealer.keys.live.key);
  const res = await live.post('/api/v1/webhook_endpoints', { url: 'http://hooks.example.com/hook' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'url_not_allowed');
  assert.equal(res.body.error.param, 'url');
  assert.equal(res.body.error.message, 'Live mode endpoints must use https.');
  const ok = await live.post('/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/hook' });
  const downgrade = await live.patch(`/api/v1/webhook_endpoints/${ok.body.id}`, { url: 'http://hooks.example.com/x' });
  assert.equal(downgrade.status, 400);
  assert.equal(downgrade.body.error.message, 'Live mode endpoints must use https.');
});

test('endpoints: the routes are in the OpenAPI document', async () => {
  const doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  assert.ok(doc.paths['/api/v1/webhook_endpoints'].post);
  assert.ok(doc.paths['/api/v1/webhook_endpoints/{id}/rotate_secret'].post);
  assert.ok(doc.paths['/api/dashboard/integrations/{integrationId}/webhook_endpoints/{id}'].patch);
  assert.ok(doc.components.schemas.WebhookEndpoint);
  assert.equal(doc.components.schemas.WebhookEndpoint.properties.secret, undefined);
});

test('a URL sent for a wth listen endpoint is a documented 422 naming the field, and nothing changes', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const reg = await c.post('/api/v1/listeners', { name: 'dev-laptop' });
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  // The checked client fails the test if 422 is not in the OpenAPI document for this operation.
  const res = await c.patch(`/api/v1/webhook_endpoints/${reg.body.id}`, {
    url: 'https://hooks.example.com/wth',
    description: 'not saved either',
  });
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'listener_has_no_url');
  assert.equal(res.body.error.param, 'url');
  const after = await c.get(`/api/v1/webhook_endpoints/${reg.body.id}`);
  assert.equal(after.body.url, null);
  assert.notEqual(after.body.description, 'not saved either');
});
