import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { client } from '../helpers/http';
import { buildChecker } from '../helpers/openapi-check';
import { startTestApi, type TestApi } from '../helpers/stack';
import { EVENT_TYPES } from '../../domain/events/catalog';
import { NOT_IN_COLLECTION } from '../../api/openapi/postman';

type Json = Record<string, any>;

let api: TestApi;
let doc: Json;

before(async () => {
  api = await startTestApi();
  const res = await client(api.url).get('/api/v1/openapi.json');
  assert.equal(res.status, 200);
  doc = res.body;
});
after(async () => api.close());

test('the served document is valid OpenAPI 3.1 according to the official schema', async () => {
  assert.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(validator.version, '3.1');
  assert.deepEqual(result.errors ?? [], []);
  assert.equal(result.valid, true);
});

test('every event type of the catalog is a webhook with its own envelope schema and the delivery headers', () => {
  assert.deepEqual(Object.keys(doc.webhooks).sort(), [...EVENT_TYPES].sort());
  const names = new Set<string>();
  for (const type of EVENT_TYPES) {
    const op = doc.webhooks[type].post;
    const ref: string = op.requestBody.content['application/json'].schema.$ref;
    names.add(ref);
    const schema = doc.components.schemas[ref.split('/').pop() as string];
    assert.deepEqual(schema.properties.type.enum, [type]);
    const headers = op.parameters.filter((p: Json) => p.in === 'header').map((p: Json) => p.name);
    assert.deepEqual(headers.sort(), ['WTH-Attempt', 'WTH-Event-Id', 'WTH-Event-Type', 'WTH-Signature']);
    const sig = op.parameters.find((p: Json) => p.name === 'WTH-Signature');
    assert.match(sig.description, /t=<unix seconds>,v1=/);
    assert.match(sig.description, /v1=…,v1=…/);
    const data = schema.properties.data;
    const hasPrevious = 'previous_attributes' in (data.properties ?? {});
    assert.equal(hasPrevious, ['listing.updated', 'order.fulfilled', 'order.cancelled'].includes(type), type);
    if (hasPrevious) assert.ok(data.required.includes('previous_attributes'), type);
  }
  assert.equal(names.size, EVENT_TYPES.length);
});

// The catalog's own examples (shared/seeds/000_*) must validate against the documented
// envelopes, and shapes that differ from the catalog must not.
const listing = { id: '24f0ebb1-73d7-4e99-9901-821078594271', object: 'listing' };
const CATALOG: Record<string, { object: Json; previous_attributes?: Json }> = {
  'listing.published': { object: listing },
  'listing.updated': { object: listing, previous_attributes: { price: { amount: 1199000 } } },
  'listing.unpublished': { object: listing },
  'listing.sold': { object: listing },
  'listing.in_stock': { object: listing },
  'order.received': {
    object: {
      id: 'd7df4fbe-2c0c-4328-a3b0-a32c68cabd43',
      object: 'order',
      external_id: 'shop-12345',
      status: 'pending',
      total_amount: 1500000,
      currency: 'USD',
      buyer: { name: 'Alice', email: 'alice@example.com', country: 'US' },
      line_items: [{ sku: '116610LN', quantity: 1, unit_amount: 1500000 }],
      ordered_at: '2026-05-08T08:41:16.345+00:00',
      created_at: '2026-05-08T08:41:16.770507+00:00',
    },
  },
  'order.fulfilled': {
    object: { id: 'd7df4fbe-2c0c-4328-a3b0-a32c68cabd43', object: 'order', status: 'fulfilled' },
    previous_attributes: { status: 'pending' },
  },
  'order.cancelled': {
    object: { id: 'd7df4fbe-2c0c-4328-a3b0-a32c68cabd43', object: 'order', status: 'cancelled' },
    previous_attributes: { status: 'pending' },
  },
  'customer.matched': {
    object: {
      id: '36f5655d-4c3a-4d58-b8e2-a68edfcda239',
      object: 'customer',
      external_id: 'ext-A1',
      email: 'a1@example.com',
      name: 'Customer A1',
      phone: '+15551111',
      matched_existing: true,
      accepts_marketing: false,
      created_at: '2026-05-08T08:40:50.417797+00:00',
    },
  },
  'integration.test_event': { object: { message: 'Test event from /v1/test/webhook_ping.' } },
};

test("the catalog's example payloads validate against the documented envelopes; other shapes do not", async () => {
  const Ajv2020 = (await import('ajv/dist/2020')).default;
  const addFormats = (await import('ajv-formats')).default;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'doc.json' });
  for (const type of EVENT_TYPES) {
    const ref = doc.webhooks[type].post.requestBody.content['application/json'].schema.$ref as string;
    const validate = ajv.compile({ $ref: `doc.json${ref}` });
    const envelope = {
      id: 'evt_4Yb1d8Qm2XcT0aVn7KpR3sLe',
      object: 'event',
      type,
      api_version: 'v1',
      created_at: '2026-05-08T08:41:16.770Z',
      livemode: false,
      data: CATALOG[type],
    };
    assert.equal(validate(envelope), true, `${type}: ${JSON.stringify(validate.errors)}`);
    // The document's own example of each webhook is the catalog's.
    assert.deepEqual(doc.webhooks[type].post.requestBody.content['application/json'].example, envelope, type);
    assert.equal(validate({ ...envelope, type: 'listing.nope' }), false, type);
    const { object } = CATALOG[type] as { object: Json };
    const withIdMissing = { ...envelope, data: { ...envelope.data, object: { ...object, id: undefined } } };
    if ('id' in object) assert.equal(validate(JSON.parse(JSON.stringify(withIdMissing))), false, type);
    const extraField = { ...envelope, data: { ...envelope.data, object: { ...object, brand: 'Rolex' } } };
    assert.equal(validate(extraField), false, `${type}: data.object is exactly the catalog shape`);
    assert.equal(validate({ ...envelope, data: { ...envelope.data, more: 1 } }), false, type);
  }
});

test('the Postman collection is v2.1 with bearer auth and base URL variables, one request per v1 operation', async () => {
  const res = await client(api.url).get('/openapi/v1.postman.json');
  assert.equal(res.status, 200);
  const col = res.body;
  assert.equal(col.info.schema, 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
  assert.deepEqual(col.auth, { type: 'bearer', bearer: [{ key: 'token', value: '{{apiKey}}', type: 'string' }] });
  assert.deepEqual(col.variable.map((v: Json) => v.key).slice(0, 3), ['baseUrl', 'apiKey', 'webhookUrl']);
  const requests = col.item;
  // Every v1 operation but the `wth listen` protocol, which only the CLI speaks.
  const v1Ops = buildChecker(doc).operations.filter(
    (o) => o.template.startsWith('/api/v1/') && !NOT_IN_COLLECTION.has(o.op.operationId),
  );
  assert.ok(NOT_IN_COLLECTION.size > 0 && v1Ops.length > 20);
  assert.equal(requests.length, v1Ops.length);
  for (const o of v1Ops) {
    const raw = `{{baseUrl}}${o.template.replace(/\{([^}]+)\}/g, ':$1')}`;
    const r = requests.find(
      (x: Json) => x.request.method === o.method.toUpperCase() && x.request.url.raw.split('?')[0] === raw,
    );
    assert.ok(r, `${o.method} ${o.template} in the collection`);
    if (o.op.requestBody) {
      assert.equal(r.request.body.mode, 'raw');
      JSON.parse(r.request.body.raw);
    }
  }
});

test('the contract checker rejects undocumented statuses and bodies that do not match', () => {
  const checker = buildChecker(doc);
  assert.throws(() => checker.check('GET', '/api/v1/me', 418, {}), /status 418 is not documented for operation getMe/);
  assert.throws(() => checker.check('GET', '/api/v1/me', 200, { object: 'identity' }), /does not match/);
  assert.throws(() => checker.check('GET', '/api/v1/me', 401, { message: 'no' }), /does not match/);
  assert.throws(() => checker.check('GET', '/api/v1/unknown', 404, { message: 'no' }), /does not match/);
  checker.check('GET', '/api/v1/me', 401, { error: { type: 'authentication_error', code: 'x', message: 'y' } });
});
