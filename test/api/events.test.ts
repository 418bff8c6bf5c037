// GET /events, GET /events/:id and the test ping.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import { eventsOf, makeListing } from '../helpers/domain';
import { sendTestEvent } from '../../domain/events/event-service';
import { apiActor } from '../../domain/platform/actor';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

test('POST /test/webhook_ping records integration.test_event and answers with its envelope', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const res = await c.post('/api/v1/test/webhook_ping');
  assert.equal(res.status, 200);
  const [row] = await eventsOf(api.deps.db, d.dealer.id);
  assert.ok(row);
  assert.deepEqual(res.body, {
    id: row.id,
    object: 'event',
    type: 'integration.test_event',
    api_version: 'v1',
    created_at: row.created_at.toISOString(),
    livemode: false,
    data: { object: { message: 'Test event from /v1/test/webhook_ping.' } },
  });
  assert.equal(row.origin, 'api');
  assert.equal(row.origin_integration_id, d.integration.id);
  assert.deepEqual((await c.get(`/api/v1/events/${row.id}`)).body, res.body);
  const extra = await c.post('/api/v1/test/webhook_ping', { type: 'order.received' });
  assert.equal(extra.status, 400);
  assert.equal(extra.body.error.param, 'type');
});

test('GET /events is newest first, filters by type and pages back in time', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const pings = [];
  for (let i = 0; i < 3; i++) pings.push((await c.post('/api/v1/test/webhook_ping')).body.id);
  const listing = await makeListing(api.deps, d.dealer.id);
  const all = await c.get('/api/v1/events');
  assert.equal(all.status, 200);
  assert.deepEqual(
    all.body.data.map((e: any) => e.type),
    ['listing.published', 'integration.test_event', 'integration.test_event', 'integration.test_event'],
  );
  assert.deepEqual(all.body.data[0].data, { object: { id: listing.id, object: 'listing' } });

  const onlyPings = await c.get('/api/v1/events?type=integration.test_event&limit=2');
  assert.deepEqual(
    onlyPings.body.data.map((e: any) => e.id),
    [pings[2], pings[1]],
  );
  assert.equal(onlyPings.body.has_more, true);
  const older = await c.get(`/api/v1/events?type=integration.test_event&limit=2&starting_after=${pings[1]}`);
  assert.deepEqual(
    older.body.data.map((e: any) => e.id),
    [pings[0]],
  );
  assert.equal(older.body.has_more, false);

  assert.equal((await c.get('/api/v1/events?type=listing.exploded')).body.error.param, 'type');
  assert.equal((await c.get('/api/v1/events?starting_after=evt_nope')).body.error.param, 'starting_after');
});

test('events are per mode and per dealer', async () => {
  const d = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: d.integration.id }).update({ live_enabled: true });
  const t = client(api.url, d.keys.test.key);
  const l = client(api.url, d.keys.live.key);
  const testPing = (await t.post('/api/v1/test/webhook_ping')).body;
  const livePing = (await l.post('/api/v1/test/webhook_ping')).body;
  const foreign = await sendTestEvent(
    api.deps,
    apiActor({ dealerId: other.dealer.id, livemode: false, integrationId: other.integration.id }),
  );
  assert.equal(livePing.livemode, true);
  assert.deepEqual(
    (await t.get('/api/v1/events')).body.data.map((e: any) => e.id),
    [testPing.id],
  );
  assert.deepEqual(
    (await l.get('/api/v1/events')).body.data.map((e: any) => e.id),
    [livePing.id],
  );
  assert.equal((await t.get(`/api/v1/events/${livePing.id}`)).status, 404);
  assert.equal((await l.get(`/api/v1/events/${testPing.id}`)).status, 404);
  assert.equal((await t.get(`/api/v1/events/${foreign.id}`)).status, 404);
  assert.equal((await t.get('/api/v1/events/whatever')).status, 404);
});

test('paging back through events while new ones arrive never repeats or skips one', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const initial: string[] = [];
  for (let i = 0; i < 20; i++) initial.unshift((await c.post('/api/v1/test/webhook_ping')).body.id);
  let writing = true;
  const writer = (async () => {
    while (writing) await c.post('/api/v1/test/webhook_ping');
  })();
  const first = await c.get('/api/v1/events?limit=4');
  // The first page may already hold events written after `initial`: start from the newest initial one.
  const seen: string[] = first.body.data.map((e: any) => e.id).filter((id: string) => initial.includes(id));
  let cursor: string | null = first.body.next_cursor;
  try {
    while (cursor) {
      const res: any = await c.get(`/api/v1/events?limit=4&starting_after=${cursor}`);
      seen.push(...res.body.data.map((e: any) => e.id));
      cursor = res.body.next_cursor;
    }
  } finally {
    writing = false;
    await writer;
  }
  assert.deepEqual(seen.slice(-initial.length), initial);
  assert.equal(new Set(seen).size, seen.length);
});

test('the OpenAPI document describes every domain route, with both statuses of the upserts', async () => {
  const doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  for (const [path, method] of [
    ['/api/v1/listings', 'get'],
    ['/api/v1/listings/{id}', 'get'],
    ['/api/v1/customers', 'post'],
    ['/api/v1/customers/bulk', 'post'],
    ['/api/v1/orders', 'post'],
    ['/api/v1/orders', 'get'],
    ['/api/v1/orders/{id}', 'get'],
    ['/api/v1/orders/{id}/cancel', 'post'],
    ['/api/v1/events', 'get'],
    ['/api/v1/events/{id}', 'get'],
    ['/api/v1/test/webhook_ping', 'post'],
  ] as const) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
  }
  for (const path of ['/api/v1/orders', '/api/v1/customers']) {
    assert.deepEqual(
      Object.keys(doc.paths[path].post.responses)
        .filter((s) => s.startsWith('2'))
        .sort(),
      ['200', '201'],
    );
  }
  assert.deepEqual(doc.components.schemas.CustomerBulk.properties.items.items, {
    $ref: '#/components/schemas/CustomerUpsert',
  });
});
