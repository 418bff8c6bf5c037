import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import { makeListing } from '../helpers/domain';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

test('GET /listings/:id returns a published listing in the public shape', async () => {
  const d = await createTestDealer(api.deps.db);
  const row = await makeListing(api.deps, d.dealer.id, {
    attrs: { reference: '116610LN', price: { amount: 1250000, currency: 'USD' }, photos: ['https://x.test/a.jpg'] },
  });
  const res = await client(api.url, d.keys.test.key).get(`/api/v1/listings/${row.id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    id: row.id,
    object: 'listing',
    livemode: false,
    brand: 'Rolex',
    model: 'Submariner Date',
    reference: '116610LN',
    year: 2021,
    condition: 'very_good',
    price: { amount: 1250000, currency: 'USD' },
    photos: ['https://x.test/a.jpg'],
    status: 'in_stock',
    published: true,
    created_at: row.created_at.toISOString(),
    updated_at: res.body.updated_at,
  });
  assert.ok(Date.parse(res.body.updated_at) >= row.created_at.getTime());
});

test('GET /listings/:id is 404 for unpublished, foreign, other-mode and malformed ids', async () => {
  const d = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  const unpublished = await makeListing(api.deps, d.dealer.id, { published: false });
  const foreign = await makeListing(api.deps, other.dealer.id);
  const live = await makeListing(api.deps, d.dealer.id, { livemode: true });
  const c = client(api.url, d.keys.test.key);
  for (const id of [unpublished.id, foreign.id, live.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
    const res = await c.get(`/api/v1/listings/${id}`);
    assert.equal(res.status, 404, id);
    assert.equal(res.body.error.type, 'not_found_error');
    assert.equal(res.body.error.code, 'resource_missing');
  }
});

test('GET /listings lists only published listings of the caller, in pages', async () => {
  const d = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  const published = [];
  for (let i = 0; i < 5; i++) {
    published.push(await makeListing(api.deps, d.dealer.id));
    await makeListing(api.deps, d.dealer.id, { published: false });
  }
  await makeListing(api.deps, other.dealer.id);
  const c = client(api.url, d.keys.test.key);
  const first = await c.get('/api/v1/listings?limit=2');
  assert.equal(first.status, 200);
  assert.equal(first.body.object, 'list');
  assert.deepEqual(
    first.body.data.map((l: any) => l.id),
    published.slice(0, 2).map((l) => l.id),
  );
  assert.equal(first.body.has_more, true);
  assert.equal(first.body.next_cursor, published[1]!.id);
  const second = await c.get(`/api/v1/listings?limit=2&starting_after=${first.body.next_cursor}`);
  assert.deepEqual(
    second.body.data.map((l: any) => l.id),
    published.slice(2, 4).map((l) => l.id),
  );
  const last = await c.get(`/api/v1/listings?limit=2&starting_after=${second.body.next_cursor}`);
  assert.deepEqual(
    last.body.data.map((l: any) => l.id),
    [published[4]!.id],
  );
  assert.equal(last.body.has_more, false);
  assert.equal(last.body.next_cursor, null);
  const all = await c.get('/api/v1/listings');
  assert.equal(all.body.data.length, 5, 'default limit 10 holds all five');
});

test('GET /listings rejects a bad cursor and a bad limit naming the param', async () => {
  const d = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  const foreign = await makeListing(api.deps, other.dealer.id);
  const c = client(api.url, d.keys.test.key);
  for (const cursor of ['garbage', foreign.id, '00000000-0000-4000-8000-000000000000']) {
    const res = await c.get(`/api/v1/listings?starting_after=${cursor}`);
    assert.equal(res.status, 400, cursor);
    assert.equal(res.body.error.param, 'starting_after');
  }
  for (const limit of ['0', '101', 'x']) {
    const res = await c.get(`/api/v1/listings?limit=${limit}`);
    assert.equal(res.status, 400, limit);
    assert.equal(res.body.error.param, 'limit');
  }
  const unknown = await c.get('/api/v1/listings?sort=price');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.param, 'sort');
});

test('paging while listings are inserted concurrently never repeats or skips a listing', async () => {
  const d = await createTestDealer(api.deps.db);
  const initial = [];
  for (let i = 0; i < 30; i++) initial.push((await makeListing(api.deps, d.dealer.id)).id);
  const c = client(api.url, d.keys.test.key);
  let inserting = true;
  const inserted: string[] = [];
  const writers = Array.from({ length: 3 }, async () => {
    while (inserting) inserted.push((await makeListing(api.deps, d.dealer.id)).id);
  });
  const seen: string[] = [];
  let cursor: string | null = null;
  try {
    do {
      const res: any = await c.get(`/api/v1/listings?limit=3${cursor ? `&starting_after=${cursor}` : ''}`);
      assert.equal(res.status, 200);
      seen.push(...res.body.data.map((l: any) => l.id));
      cursor = res.body.next_cursor;
      // Stop once every initial listing was seen; the writers keep the list growing.
    } while (cursor && !initial.every((id) => seen.includes(id)));
  } finally {
    inserting = false;
    await Promise.all(writers);
  }
  assert.equal(new Set(seen).size, seen.length, 'no listing appears twice');
  assert.deepEqual(seen.slice(0, initial.length), initial, 'the existing listings come first, in order, none skipped');
  assert.ok(inserted.length > 0, 'listings were inserted while paging');
  // Everything seen after the initial set is a listing inserted while paging.
  assert.ok(seen.slice(initial.length).every((id) => inserted.includes(id)));
});

test('test and live keys each see only their own mode', async () => {
  const d = await createTestDealer(api.deps.db);
  await api.deps.db('integrations').where({ id: d.integration.id }).update({ live_enabled: true });
  const testRow = await makeListing(api.deps, d.dealer.id, { livemode: false });
  const liveRow = await makeListing(api.deps, d.dealer.id, { livemode: true });
  const t = client(api.url, d.keys.test.key);
  const l = client(api.url, d.keys.live.key);
  assert.deepEqual(
    (await t.get('/api/v1/listings')).body.data.map((x: any) => [x.id, x.livemode]),
    [[testRow.id, false]],
  );
  assert.deepEqual(
    (await l.get('/api/v1/listings')).body.data.map((x: any) => [x.id, x.livemode]),
    [[liveRow.id, true]],
  );
  assert.equal((await t.get(`/api/v1/listings/${liveRow.id}`)).status, 404);
  assert.equal((await l.get(`/api/v1/listings/${testRow.id}`)).status, 404);
  assert.equal((await l.get(`/api/v1/listings?starting_after=${testRow.id}`)).status, 400);
});
