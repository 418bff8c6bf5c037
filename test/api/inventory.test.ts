// Dashboard inventory actions and the listing.* events they fire, payloads compared exactly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';
import { dashboardIntegrationId, eventMark, eventsOf, listingAttrs, makeListing } from '../helpers/domain';
import type { CreatedDealer } from '../../domain/accounts/dealers';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

async function dashboard(d: CreatedDealer) {
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const c = client(api.url);
  return {
    get: (path: string) => c.get(`/api/dashboard${path}`, headers),
    post: (path: string, body?: unknown) => c.post(`/api/dashboard${path}`, body, headers),
    patch: (path: string, body?: unknown) => c.patch(`/api/dashboard${path}`, body, headers),
  };
}

/** The one event each listing action should fire, as the catalog documents it. */
function listingEvent(type: string, id: string, previous?: Record<string, unknown>) {
  return {
    type,
    livemode: false,
    origin: 'dashboard',
    data: { object: { id, object: 'listing' }, ...(previous ? { previous_attributes: previous } : {}) },
  };
}

async function newEvents(d: CreatedDealer, mark: string) {
  return (await eventsOf(api.deps.db, d.dealer.id, mark)).map((e) => ({
    type: e.type,
    livemode: e.livemode,
    origin: e.origin,
    data: e.data,
    origin_integration_id: e.origin_integration_id,
  }));
}

test('create, publish, edit, sell, restock and unpublish a listing, each with its exact event', async () => {
  const d = await createTestDealer(api.deps.db);
  const dash = await dashboard(d);
  const dashboardId = await dashboardIntegrationId(api.deps.db, d.dealer.id);
  const withOrigin = (e: ReturnType<typeof listingEvent>) => ({ ...e, origin_integration_id: dashboardId });

  let mark = await eventMark(api.deps.db);
  const attrs = listingAttrs({ reference: '126610LN', price: { amount: 1299000, currency: 'EUR' } });
  const created = await dash.post('/listings', attrs);
  assert.equal(created.status, 201);
  assert.equal(created.body.published, false);
  assert.equal(created.body.status, 'in_stock');
  assert.equal(created.body.livemode, false);
  assert.deepEqual(created.body.price, { amount: 1299000, currency: 'EUR' });
  const id = created.body.id;
  assert.deepEqual(await newEvents(d, mark), [], 'an unpublished new listing fires nothing');

  mark = await eventMark(api.deps.db);
  const published = await dash.post(`/listings/${id}/publish`);
  assert.equal(published.status, 200);
  assert.equal(published.body.published, true);
  assert.deepEqual(await newEvents(d, mark), [withOrigin(listingEvent('listing.published', id))]);

  mark = await eventMark(api.deps.db);
  assert.equal((await dash.post(`/listings/${id}/publish`)).status, 200);
  assert.deepEqual(await newEvents(d, mark), [], 'publishing a published listing changes nothing');

  mark = await eventMark(api.deps.db);
  const patched = await dash.patch(`/listings/${id}`, { price: { amount: 1199000, currency: 'EUR' }, year: 2022 });
  assert.equal(patched.status, 200);
  assert.deepEqual(patched.body.price, { amount: 1199000, currency: 'EUR' });
  assert.equal(patched.body.year, 2022);
  assert.deepEqual(await newEvents(d, mark), [
    withOrigin(listingEvent('listing.updated', id, { price: { amount: 1299000 }, year: 2021 })),
  ]);

  mark = await eventMark(api.deps.db);
  await dash.patch(`/listings/${id}`, {
    photos: ['https://img.example.test/2.jpg'],
    price: { amount: 1199000, currency: 'USD' },
    brand: 'Rolex',
  });
  assert.deepEqual(await newEvents(d, mark), [
    withOrigin(
      listingEvent('listing.updated', id, {
        price: { currency: 'EUR' },
        photos: ['https://img.example.test/1.jpg'],
      }),
    ),
  ]);

  mark = await eventMark(api.deps.db);
  await dash.patch(`/listings/${id}`, { model: attrs.model });
  assert.deepEqual(await newEvents(d, mark), [], 'a patch that changes nothing fires nothing');

  mark = await eventMark(api.deps.db);
  const sold = await dash.post(`/listings/${id}/mark_sold`);
  assert.equal(sold.body.status, 'sold');
  assert.deepEqual(await newEvents(d, mark), [withOrigin(listingEvent('listing.sold', id))]);
  const soldAgain = await dash.post(`/listings/${id}/mark_sold`);
  assert.equal(soldAgain.status, 422);
  assert.equal(soldAgain.body.error.code, 'listing_already_sold');

  mark = await eventMark(api.deps.db);
  const restocked = await dash.post(`/listings/${id}/mark_in_stock`);
  assert.equal(restocked.body.status, 'in_stock');
  assert.deepEqual(await newEvents(d, mark), [withOrigin(listingEvent('listing.in_stock', id))]);
  const restockAgain = await dash.post(`/listings/${id}/mark_in_stock`);
  assert.equal(restockAgain.status, 422);
  assert.equal(restockAgain.body.error.code, 'listing_not_sold');

  mark = await eventMark(api.deps.db);
  const unpublished = await dash.post(`/listings/${id}/unpublish`);
  assert.equal(unpublished.body.published, false);
  assert.deepEqual(await newEvents(d, mark), [withOrigin(listingEvent('listing.unpublished', id))]);
  mark = await eventMark(api.deps.db);
  await dash.post(`/listings/${id}/unpublish`);
  assert.deepEqual(await newEvents(d, mark), [], 'unpublishing an unpublished listing changes nothing');
});

test('an unpublished listing changes silently: the integration cannot see it', async () => {
  const d = await createTestDealer(api.deps.db);
  const dash = await dashboard(d);
  const row = await makeListing(api.deps, d.dealer.id, { published: false });
  const mark = await eventMark(api.deps.db);
  assert.equal((await dash.patch(`/listings/${row.id}`, { condition: 'mint' })).status, 200);
  assert.equal((await dash.post(`/listings/${row.id}/mark_sold`)).status, 200);
  assert.equal((await dash.post(`/listings/${row.id}/mark_in_stock`)).status, 200);
  assert.deepEqual(await newEvents(d, mark), []);
  const read = await dash.get(`/listings/${row.id}`);
  assert.equal(read.body.condition, 'mint');
});

test('live listings fire live events', async () => {
  const d = await createTestDealer(api.deps.db);
  const dash = await dashboard(d);
  const created = await dash.post('/listings?livemode=true', listingAttrs());
  assert.equal(created.body.livemode, true);
  const mark = await eventMark(api.deps.db);
  await dash.post(`/listings/${created.body.id}/publish`);
  const events = await newEvents(d, mark);
  assert.deepEqual(
    events.map((e) => [e.type, e.livemode]),
    [['listing.published', true]],
  );
  const testList = await dash.get('/listings');
  assert.deepEqual(testList.body.data, []);
  const liveList = await dash.get('/listings?livemode=true');
  assert.deepEqual(
    liveList.body.data.map((l: any) => l.id),
    [created.body.id],
  );
});

test("another dealer's listing is a 404 for every dashboard action", async () => {
  const d = await createTestDealer(api.deps.db);
  const other = await createTestDealer(api.deps.db);
  const foreign = await makeListing(api.deps, other.dealer.id);
  const dash = await dashboard(d);
  const mark = await eventMark(api.deps.db);
  assert.equal((await dash.get(`/listings/${foreign.id}`)).status, 404);
  assert.equal((await dash.patch(`/listings/${foreign.id}`, { condition: 'x' })).status, 404);
  for (const action of ['publish', 'unpublish', 'mark_sold', 'mark_in_stock']) {
    const res = await dash.post(`/listings/${foreign.id}/${action}`);
    assert.equal(res.status, 404, action);
    assert.equal(res.body.error.type, 'not_found_error');
  }
  assert.deepEqual(await eventsOf(api.deps.db, other.dealer.id, mark), []);
  const list = await dash.get('/listings');
  assert.deepEqual(list.body.data, []);
});

test('dashboard listing input is validated strictly, naming the field', async () => {
  const d = await createTestDealer(api.deps.db);
  const dash = await dashboard(d);
  const cases: [unknown, string][] = [
    [{ ...listingAttrs(), colour: 'blue' }, 'colour'],
    [{ ...listingAttrs(), price: { amount: 1.5, currency: 'EUR' } }, 'price.amount'],
    [{ ...listingAttrs(), price: { amount: 100, currency: 'eur' } }, 'price.currency'],
    [{ ...listingAttrs(), photos: ['not a url'] }, 'photos[0]'],
    [{ ...listingAttrs(), brand: undefined }, 'brand'],
  ];
  for (const [body, param] of cases) {
    const res = await dash.post('/listings', body);
    assert.equal(res.status, 400, param);
    assert.equal(res.body.error.param, param);
  }
  const row = await makeListing(api.deps, d.dealer.id);
  const bad = await dash.patch(`/listings/${row.id}`, { status: 'sold' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.param, 'status');
});

test('dashboard actions need the session and its CSRF token', async () => {
  const d = await createTestDealer(api.deps.db);
  const row = await makeListing(api.deps, d.dealer.id, { published: false });
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const anon = await client(api.url).post(`/api/dashboard/listings/${row.id}/publish`);
  assert.equal(anon.status, 401);
  const noCsrf = await client(api.url).post(
    `/api/dashboard/listings/${row.id}/publish`,
    {},
    { cookie: headers.cookie! },
  );
  assert.equal(noCsrf.status, 403);
  const apiKey = await client(api.url, d.keys.test.key).get('/api/dashboard/listings');
  assert.equal(apiKey.status, 401);
});
