// Customer upserts (single and bulk) and the exact `customer.matched` payload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import { eventMark, eventsOf } from '../helpers/domain';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

test('POST /customers creates (201), then matches by external_id (200) with an exact customer.matched', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  let mark = await eventMark(api.deps.db);
  const created = await c.post('/api/v1/customers', {
    external_id: 'ext-A1',
    email: 'a1@example.com',
    name: 'Customer A1',
    phone: '+15551111',
  });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, {
    id: created.body.id,
    object: 'customer',
    external_id: 'ext-A1',
    email: 'a1@example.com',
    name: 'Customer A1',
    phone: '+15551111',
    matched_existing: false,
    accepts_marketing: false,
    created_at: created.body.created_at,
    livemode: false,
    updated_at: created.body.updated_at,
  });
  assert.deepEqual(await eventsOf(api.deps.db, d.dealer.id, mark), [], 'creating fires nothing');

  mark = await eventMark(api.deps.db);
  const matched = await c.post('/api/v1/customers', { external_id: 'ext-A1', accepts_marketing: true });
  assert.equal(matched.status, 200);
  assert.equal(matched.body.id, created.body.id);
  assert.equal(matched.body.matched_existing, true);
  assert.equal(matched.body.accepts_marketing, true);
  assert.equal(matched.body.name, 'Customer A1', 'fields not sent are kept');
  const events = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.equal(events.length, 1);
  const e = events[0]!;
  assert.equal(e.type, 'customer.matched');
  assert.equal(e.livemode, false);
  assert.equal(e.origin, 'api');
  assert.equal(e.origin_integration_id, d.integration.id);
  assert.deepEqual(e.data, {
    object: {
      id: created.body.id,
      object: 'customer',
      external_id: 'ext-A1',
      email: 'a1@example.com',
      name: 'Customer A1',
      phone: '+15551111',
      matched_existing: true,
      accepts_marketing: true,
      created_at: created.body.created_at,
    },
  });
});

test('a customer is matched by email case-insensitively and gains the external_id', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const created = await c.post('/api/v1/customers', { email: 'Bob@Example.com', name: 'Bob' });
  assert.equal(created.status, 201);
  const matched = await c.post('/api/v1/customers', { external_id: 'ext-bob', email: 'bob@example.COM' });
  assert.equal(matched.status, 200);
  assert.equal(matched.body.id, created.body.id);
  assert.equal(matched.body.external_id, 'ext-bob');
  const again = await c.post('/api/v1/customers', { external_id: 'ext-bob' });
  assert.equal(again.body.id, created.body.id);
  // The email belongs to a customer with another external_id: refusing beats merging two people.
  const clash = await c.post('/api/v1/customers', { external_id: 'ext-other', email: 'bob@example.com' });
  assert.equal(clash.status, 409);
  assert.equal(clash.body.error.param, 'external_id');
});

test('customers are per mode: the live key never matches a test customer', async () => {
  const d = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: d.integration.id }).update({ live_enabled: true });
  const t = await client(api.url, d.keys.test.key).post('/api/v1/customers', { external_id: 'x1' });
  const l = await client(api.url, d.keys.live.key).post('/api/v1/customers', { external_id: 'x1' });
  assert.equal(t.status, 201);
  assert.equal(l.status, 201);
  assert.notEqual(t.body.id, l.body.id);
  assert.equal(l.body.livemode, true);
});

test('POST /customers validates strictly and needs external_id or email', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const cases: [unknown, string][] = [
    [{ name: 'Nobody' }, 'external_id'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: 'a@b.co', vip: true }, 'vip'],
    [{ external_id: 5 }, 'external_id'],
  ];
  for (const [body, param] of cases) {
    const res = await c.post('/api/v1/customers', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.param, param);
  }
});

test('concurrent upserts of one new external_id create one customer and match it otherwise', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) => c.post('/api/v1/customers', { external_id: 'race-1', name: `N${i}` })),
  );
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
  const rows = await api.deps.db('customers').where({ dealer_id: d.dealer.id });
  assert.equal(rows.length, 1);
  const matched = (await eventsOf(api.deps.db, d.dealer.id)).filter((e) => e.type === 'customer.matched');
  assert.equal(matched.length, 7);
});

test('bulk answers per item: created, matched and errors in place, nothing half-applied', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const existing = await c.post('/api/v1/customers', { external_id: 'b-0', email: 'b0@example.com', name: 'Zero' });
  await c.post('/api/v1/customers', { external_id: 'b-taken', email: 'taken@example.com' });
  const mark = await eventMark(api.deps.db);
  const res = await c.post('/api/v1/customers/bulk', {
    items: [
      { external_id: 'b-0', name: 'Zero again' },
      { external_id: 'b-1', email: 'b1@example.com' },
      { external_id: 'b-2', email: 'bad-email' },
      { external_id: 'b-3', unknown_field: 1 },
      // Matches b-1 created two items earlier in the same request.
      { email: 'B1@example.com', phone: '+100' },
      // Valid alone, but its email belongs to another customer: fails, and its name change must not stick.
      { external_id: 'b-0', name: 'Should not stick', email: 'taken@example.com' },
    ],
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.object, 'customer_bulk_result');
  const summary = res.body.data.map((r: any) => [r.index, r.status, r.error?.param ?? null]);
  assert.deepEqual(summary, [
    [0, 'matched', null],
    [1, 'created', null],
    [2, 'error', 'items[2].email'],
    [3, 'error', 'items[3].unknown_field'],
    [4, 'matched', null],
    [5, 'error', 'items[5].email'],
  ]);
  assert.equal(res.body.data[0].customer.id, existing.body.id);
  assert.equal(res.body.data[0].customer.name, 'Zero again');
  assert.equal(res.body.data[4].customer.id, res.body.data[1].customer.id);
  assert.equal(res.body.data[4].customer.phone, '+100');
  assert.equal(res.body.data[5].error.code, 'customer_email_taken');
  const zero = await api.deps.db('customers').where({ id: existing.body.id }).first();
  assert.equal(zero.name, 'Zero again', 'the failed item 5 left no trace');
  assert.equal(
    await api.deps
      .db('customers')
      .where({ dealer_id: d.dealer.id })
      .count('* as n')
      .first()
      .then((r: any) => Number(r.n)),
    3,
  );
  const events = await eventsOf(api.deps.db, d.dealer.id, mark);
  assert.deepEqual(
    events.map((e) => [e.type, (e.data.object as any).id, e.origin, e.origin_integration_id]),
    [
      ['customer.matched', existing.body.id, 'api', d.integration.id],
      ['customer.matched', res.body.data[1].customer.id, 'api', d.integration.id],
    ],
  );
  assert.deepEqual(events[1]!.data.object, {
    id: res.body.data[1].customer.id,
    object: 'customer',
    external_id: 'b-1',
    email: 'B1@example.com',
    name: null,
    phone: '+100',
    matched_existing: true,
    accepts_marketing: false,
    created_at: res.body.data[1].customer.created_at,
  });
});

test('bulk takes 1 to 500 items', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const empty = await c.post('/api/v1/customers/bulk', { items: [] });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.param, 'items');
  const tooMany = await c.post('/api/v1/customers/bulk', {
    items: Array.from({ length: 501 }, (_, i) => ({ external_id: `m-${i}` })),
  });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.param, 'items');
  const full = await c.post('/api/v1/customers/bulk', {
    items: Array.from({ length: 500 }, (_, i) => ({ external_id: `m-${i}`, email: `m${i}@example.com` })),
  });
  assert.equal(full.status, 200);
  assert.equal(full.body.data.length, 500);
  assert.ok(full.body.data.every((r: any, i: number) => r.index === i && r.status === 'created'));
});
