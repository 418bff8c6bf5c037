// Orders: idempotent reporting, listing matching, cancel, fulfil, and their exact events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, waitUntil } from '../helpers/http';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';
import { dashboardIntegrationId, eventMark, eventsOf, makeListing } from '../helpers/domain';
import type { CreatedDealer } from '../../domain/accounts/dealers';
import { apiActor } from '../../domain/platform/actor';
import { reportOrder } from '../../domain/commerce/orders';

const auth = (d: CreatedDealer) => ({ dealerId: d.dealer.id, livemode: false, integrationId: d.integration.id });

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

let n = 0;
function orderBody(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    external_id: `shop-${process.pid}-${n}`,
    total_amount: 1500000,
    currency: 'USD',
    buyer: { name: 'Alice', email: 'alice@example.com', country: 'US' },
    line_items: [{ sku: `NOPE-${n}`, quantity: 1, unit_amount: 1500000 }],
    ordered_at: '2026-05-08T08:41:16.345+00:00',
    ...overrides,
  };
}

const summarize = (events: Awaited<ReturnType<typeof eventsOf>>) =>
  events.map((e) => ({ type: e.type, data: e.data, origin: e.origin, origin_integration_id: e.origin_integration_id }));

async function fulfil(d: CreatedDealer, id: string) {
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  return client(api.url).post(`/api/dashboard/orders/${id}/fulfil`, {}, headers);
}

test('POST /orders creates an order (201) with an exact order.received; a repeat is 200 and silent', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const body = orderBody();
  let mark = await eventMark(api.deps.db);
  const res = await c.post('/api/v1/orders', body);
  assert.equal(res.status, 201);
  const catalogShape = {
    id: res.body.id,
    object: 'order',
    external_id: body.external_id,
    status: 'pending',
    total_amount: 1500000,
    currency: 'USD',
    buyer: { name: 'Alice', email: 'alice@example.com', country: 'US' },
    line_items: body.line_items,
    ordered_at: '2026-05-08T08:41:16.345Z',
    created_at: res.body.created_at,
  };
  assert.deepEqual(res.body, {
    ...catalogShape,
    livemode: false,
    matched_listing_id: null,
    updated_at: res.body.updated_at,
  });
  assert.deepEqual(summarize(await eventsOf(api.deps.db, d.dealer.id, mark)), [
    { type: 'order.received', data: { object: catalogShape }, origin: 'api', origin_integration_id: d.integration.id },
  ]);

  mark = await eventMark(api.deps.db);
  // An identical repeat (a retry): the same data with other data is a 409 (bad-input.test.ts).
  const again = await c.post('/api/v1/orders', body);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, res.body, 'the stored order, unchanged');
  assert.deepEqual(await eventsOf(api.deps.db, d.dealer.id, mark), []);
});

test('concurrent reports of one external_id create one order and one event', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const body = orderBody();
  const results = await Promise.all(Array.from({ length: 6 }, () => c.post('/api/v1/orders', body)));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
  const received = (await eventsOf(api.deps.db, d.dealer.id)).filter((e) => e.type === 'order.received');
  assert.equal(received.length, 1);
});

test('an order whose SKU is a published listing reference sells it; cancel returns it to stock', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const listing = await makeListing(api.deps, d.dealer.id, { attrs: { reference: `116610LN-${n}` } });
  let mark = await eventMark(api.deps.db);
  const body = orderBody({
    line_items: [
      { sku: 'STRAP-1', quantity: 1, unit_amount: 5000 },
      { sku: listing.reference, quantity: 1, unit_amount: 1495000 },
    ],
  });
  const res = await c.post('/api/v1/orders', body);
  assert.equal(res.status, 201);
  assert.equal(res.body.matched_listing_id, listing.id);
  const events = summarize(await eventsOf(api.deps.db, d.dealer.id, mark));
  assert.deepEqual(
    events.map((e) => e.type),
    ['order.received', 'listing.sold'],
  );
  assert.deepEqual(events[1], {
    type: 'listing.sold',
    data: { object: { id: listing.id, object: 'listing' } },
    origin: 'api',
    origin_integration_id: d.integration.id,
  });
  const sold = await c.get(`/api/v1/listings/${listing.id}`);
  assert.equal(sold.body.status, 'sold');
  const row = await api.deps.db('listings').where({ id: listing.id }).first();
  assert.equal(row.sold_by_order_id, res.body.id);

  // A second order for the same watch finds it sold.
  const second = await c.post('/api/v1/orders', orderBody({ line_items: body.line_items }));
  assert.equal(second.body.matched_listing_id, null);

  mark = await eventMark(api.deps.db);
  const cancelled = await c.post(`/api/v1/orders/${res.body.id}/cancel`);
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.status, 'cancelled');
  assert.deepEqual(summarize(await eventsOf(api.deps.db, d.dealer.id, mark)), [
    {
      type: 'order.cancelled',
      data: {
        object: { id: res.body.id, object: 'order', status: 'cancelled' },
        previous_attributes: { status: 'pending' },
      },
      origin: 'api',
      origin_integration_id: d.integration.id,
    },
    {
      type: 'listing.in_stock',
      data: { object: { id: listing.id, object: 'listing' } },
      origin: 'api',
      origin_integration_id: d.integration.id,
    },
  ]);
  assert.equal((await c.get(`/api/v1/listings/${listing.id}`)).body.status, 'in_stock');

  const twice = await c.post(`/api/v1/orders/${res.body.id}/cancel`);
  assert.equal(twice.status, 422);
  assert.equal(twice.body.error.code, 'order_already_cancelled');
});

test('orders never match unpublished, sold, foreign or other-mode listings', async () => {
  const d = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  const ref = `REF-NOMATCH-${process.pid}`;
  await makeListing(api.deps, d.dealer.id, { published: false, attrs: { reference: ref } });
  await makeListing(api.deps, d.dealer.id, { livemode: true, attrs: { reference: ref } });
  await makeListing(api.deps, other.dealer.id, { attrs: { reference: ref } });
  const res = await client(api.url, d.keys.test.key).post(
    '/api/v1/orders',
    orderBody({ line_items: [{ sku: ref, quantity: 1, unit_amount: 1 }] }),
  );
  assert.equal(res.status, 201);
  assert.equal(res.body.matched_listing_id, null);
});

test('two concurrent orders for one listing: exactly one sells it', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const listing = await makeListing(api.deps, d.dealer.id);
  const results = await Promise.all(
    Array.from({ length: 5 }, () =>
      c.post('/api/v1/orders', orderBody({ line_items: [{ sku: listing.reference, quantity: 1, unit_amount: 1 }] })),
    ),
  );
  assert.ok(results.every((r) => r.status === 201));
  assert.equal(results.filter((r) => r.body.matched_listing_id === listing.id).length, 1);
  const sold = (await eventsOf(api.deps.db, d.dealer.id)).filter((e) => e.type === 'listing.sold');
  assert.equal(sold.length, 1);
});

test('the dashboard fulfils only a matched pending order, with an exact order.fulfilled', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const listing = await makeListing(api.deps, d.dealer.id);
  const matched = await c.post(
    '/api/v1/orders',
    orderBody({ line_items: [{ sku: listing.reference, quantity: 1, unit_amount: 1 }] }),
  );
  const unmatched = await c.post('/api/v1/orders', orderBody());

  const refused = await fulfil(d, unmatched.body.id);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'order_not_matched');

  const mark = await eventMark(api.deps.db);
  const ok = await fulfil(d, matched.body.id);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'fulfilled');
  assert.deepEqual(summarize(await eventsOf(api.deps.db, d.dealer.id, mark)), [
    {
      type: 'order.fulfilled',
      data: {
        object: { id: matched.body.id, object: 'order', status: 'fulfilled' },
        previous_attributes: { status: 'pending' },
      },
      origin: 'dashboard',
      origin_integration_id: await dashboardIntegrationId(api.deps.db, d.dealer.id),
    },
  ]);
  const twice = await fulfil(d, matched.body.id);
  assert.equal(twice.status, 422);
  assert.equal(twice.body.error.code, 'order_not_pending');

  // Cancelling a fulfilled order reports the previous status and restocks the listing.
  const cancelMark = await eventMark(api.deps.db);
  await c.post(`/api/v1/orders/${matched.body.id}/cancel`);
  const after = await eventsOf(api.deps.db, d.dealer.id, cancelMark);
  assert.deepEqual(after[0]!.data.previous_attributes, { status: 'fulfilled' });
  assert.equal(after[1]!.type, 'listing.in_stock');

  const other = await createTestDealer(api.deps.db);
  assert.equal((await fulfil(other, matched.body.id)).status, 404, "another dealer's order");
});

test('GET /orders pages and filters by status; GET /orders/:id; mode isolation', async () => {
  const d = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: d.integration.id }).update({ live_enabled: true });
  const t = client(api.url, d.keys.test.key);
  const l = client(api.url, d.keys.live.key);
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await t.post('/api/v1/orders', orderBody())).body.id);
  const liveOrder = await l.post('/api/v1/orders', orderBody());
  assert.equal(liveOrder.body.livemode, true);
  await t.post(`/api/v1/orders/${ids[1]}/cancel`);

  const page1 = await t.get('/api/v1/orders?limit=3');
  assert.deepEqual(
    page1.body.data.map((o: any) => o.id),
    ids.slice(0, 3),
  );
  assert.equal(page1.body.has_more, true);
  const page2 = await t.get(`/api/v1/orders?limit=3&starting_after=${page1.body.next_cursor}`);
  assert.deepEqual(
    page2.body.data.map((o: any) => o.id),
    [ids[3]],
  );
  assert.equal(page2.body.has_more, false);

  const cancelled = await t.get('/api/v1/orders?status=cancelled');
  assert.deepEqual(
    cancelled.body.data.map((o: any) => o.id),
    [ids[1]],
  );
  const pending = await t.get('/api/v1/orders?status=pending');
  assert.equal(pending.body.data.length, 3);
  assert.equal((await t.get('/api/v1/orders?status=lost')).body.error.param, 'status');

  assert.equal((await t.get(`/api/v1/orders/${ids[0]}`)).body.id, ids[0]);
  assert.equal((await t.get(`/api/v1/orders/${liveOrder.body.id}`)).status, 404);
  assert.equal((await l.get(`/api/v1/orders/${ids[0]}`)).status, 404);
  assert.equal((await l.post(`/api/v1/orders/${ids[0]}/cancel`)).status, 404);
  assert.deepEqual(
    (await l.get('/api/v1/orders')).body.data.map((o: any) => o.id),
    [liveOrder.body.id],
  );

  // The same external_id in the other mode is a different order.
  const sameExt = await l.post('/api/v1/orders', { ...orderBody(), external_id: page1.body.data[0].external_id });
  assert.equal(sameExt.status, 201);

  // The dashboard lists per mode too.
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const dashLive = await client(api.url).get('/api/dashboard/orders?livemode=true', headers);
  assert.equal(dashLive.body.data.length, 2);
  const dashTest = await client(api.url).get('/api/dashboard/orders?status=cancelled', headers);
  assert.deepEqual(
    dashTest.body.data.map((o: any) => o.id),
    [ids[1]],
  );
});

test('POST /orders validates strictly, naming the field', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const cases: [Record<string, unknown>, string][] = [
    [{ line_items: [] }, 'line_items'],
    [{ line_items: [{ sku: 'A', quantity: 0, unit_amount: 1 }] }, 'line_items[0].quantity'],
    [{ line_items: [{ sku: 'A', quantity: 1, unit_amount: 1, colour: 'x' }] }, 'line_items[0].colour'],
    [{ buyer: { name: 'A', email: 'nope', country: 'US' } }, 'buyer.email'],
    [{ total_amount: -1 }, 'total_amount'],
    [{ currency: 'usd' }, 'currency'],
    [{ ordered_at: 'yesterday' }, 'ordered_at'],
    [{ coupon: 'X' }, 'coupon'],
    [{ external_id: undefined }, 'external_id'],
  ];
  for (const [overrides, param] of cases) {
    const res = await c.post('/api/v1/orders', orderBody(overrides));
    assert.equal(res.status, 400, param);
    assert.equal(res.body.error.param, param);
  }
  assert.equal((await c.post('/api/v1/orders/not-a-uuid/cancel')).status, 404);
});

test('a client following GET /orders with its last cursor never misses an order that commits late', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const first = await c.post('/api/v1/orders', orderBody());
  // The dispatcher starts its workflow later.
  const noStarter = {
    start: async () => undefined,
    startDetached: () => undefined,
    detachAfterCommit: false,
    drain: async () => undefined,
  };
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let slowId = '';
  const inserted = new Promise<void>((signal) => {
    void api.deps.db
      .transaction(async (trx) => {
        const deps = { ...api.deps, db: trx as unknown as typeof api.deps.db, eventStarter: noStarter };
        slowId = (await reportOrder(deps, apiActor(auth(d)), orderBody())).row.id;
        signal();
        await held; // an order whose transaction is still open, with the lower seq
      })
      .catch(() => undefined);
  });
  await inserted;
  let fastDone = false;
  const fast = c.post('/api/v1/orders', orderBody()).finally(() => (fastDone = true));
  // The fast order should queue behind the slow one's commit instead of overtaking it.
  await waitUntil(
    async () =>
      fastDone ||
      Number(
        (await api.deps.db.raw("select count(*) as n from pg_locks where locktype = 'advisory' and not granted"))
          .rows[0].n,
      ) > 0,
    { what: 'the second order to finish or queue' },
  );
  const seen: string[] = [];
  let cursor = first.body.id;
  const poll = async () => {
    const res = await c.get(`/api/v1/orders?starting_after=${cursor}`);
    for (const o of res.body.data) seen.push(o.id);
    if (res.body.data.length) cursor = res.body.data[res.body.data.length - 1].id;
  };
  await poll();
  release();
  const fastId = (await fast).body.id;
  await poll();
  assert.deepEqual(seen, [slowId, fastId]);
});

const waitingAdvisoryLocks = async () =>
  Number(
    (await api.deps.db.raw("select count(*) as n from pg_locks where locktype = 'advisory' and not granted")).rows[0].n,
  );

test('a report queued behind the ordering lock has not drawn its seq yet (seqs are drawn in lock order)', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const lastSeq = async () =>
    String((await api.deps.db.raw('select last_value from orders_seq_seq')).rows[0].last_value);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  // Another report of this dealer and mode, holding the ordering lock (as at its commit).
  const holder = api.deps.db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?), hashtext(?))', ['orders', `${d.dealer.id}:false`]);
    locked();
    await held;
  });
  await isLocked;
  const before = await lastSeq();
  const queued = c.post('/api/v1/orders', orderBody());
  try {
    await waitUntil(async () => (await waitingAdvisoryLocks()) > 0, { what: 'the report to queue behind the lock' });
    // Had it drawn its seq before queueing, a report granted the lock earlier could commit a
    // higher seq first, and a follower past that one would never see this order.
    assert.equal(await lastSeq(), before);
  } finally {
    release();
    await holder;
  }
  const res = await queued;
  assert.equal(res.status, 201);
  assert.ok(BigInt((await api.deps.db('orders').where({ id: res.body.id }).first('seq')).seq) > BigInt(before));
});

test('a follower polling GET /orders?starting_after sees every concurrently reported order exactly once', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const first = await c.post('/api/v1/orders', orderBody());
  const created: string[] = [];
  const seen: string[] = [];
  let cursor = first.body.id as string;
  const poll = async () => {
    for (;;) {
      const res = await c.get(`/api/v1/orders?limit=100&starting_after=${cursor}`);
      assert.equal(res.status, 200);
      for (const o of res.body.data) seen.push(o.id);
      if (res.body.data.length) cursor = res.body.data[res.body.data.length - 1].id;
      if (!res.body.has_more) return;
    }
  };
  let reporting = true;
  const follower = (async () => {
    while (reporting) await poll();
  })();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 10; i++) {
        const res = await c.post('/api/v1/orders', orderBody());
        assert.equal(res.status, 201);
        created.push(res.body.id);
      }
    }),
  );
  reporting = false;
  await follower;
  await poll();
  assert.equal(new Set(seen).size, seen.length, 'an order was seen twice');
  assert.deepEqual([...seen].sort(), [...created].sort(), 'the follower missed an order');
});
