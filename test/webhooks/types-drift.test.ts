// The package's event types and examples are generated from the served OpenAPI document's
// `webhooks` (scripts/generate-webhook-types.ts): they must be what that document generates now.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_EVENTS, WEBHOOK_EVENT_TYPES } from '@watchtraderhub/webhooks';
import { buildWebhooksDocument, staleGeneratedFiles } from '../../scripts/generate-webhook-types';
import { EVENT_TYPES } from '../../domain/events/catalog';
import { client } from '../helpers/http';
import { startTestApi, type TestApi } from '../helpers/stack';

let api: TestApi;
let served: Record<string, any>;

before(async () => {
  api = await startTestApi();
  served = (await client(api.url).get('/api/v1/openapi.json')).body;
});
after(() => api.close());

test('the committed generated files are exactly what the served document generates', async () => {
  const stale = await staleGeneratedFiles(served);
  assert.deepEqual(stale, [], 'stale; run: npx tsx scripts/generate-webhook-types.ts');
  assert.deepEqual(await staleGeneratedFiles(buildWebhooksDocument()), [], 'the script builds the same webhooks');
});

test('a change to a webhook schema, an example or the event list makes them stale', async () => {
  const changed = structuredClone(served);
  changed.components.schemas.OrderStatusObject.properties.note = { type: 'string' };
  assert.ok((await staleGeneratedFiles(changed)).includes('openapi.ts'));

  const newExample = structuredClone(served);
  newExample.webhooks['listing.sold'].post.requestBody.content['application/json'].example.livemode = true;
  assert.ok((await staleGeneratedFiles(newExample)).includes('examples.ts'));

  const fewer = structuredClone(served);
  delete fewer.webhooks['customer.matched'];
  assert.ok((await staleGeneratedFiles(fewer)).includes('events.ts'));
});

test('the union covers the catalog, and every documented example validates against its schema', async () => {
  assert.deepEqual([...WEBHOOK_EVENT_TYPES].sort(), [...EVENT_TYPES].sort());
  const Ajv2020 = (await import('ajv/dist/2020')).default;
  const addFormats = (await import('ajv-formats')).default;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...served, $id: 'doc.json' });
  for (const type of WEBHOOK_EVENT_TYPES) {
    const media = served.webhooks[type].post.requestBody.content['application/json'];
    const validate = ajv.compile({ $ref: `doc.json${media.schema.$ref}` });
    assert.equal(validate(EXAMPLE_EVENTS[type]), true, `${type}: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(EXAMPLE_EVENTS[type], media.example, type);
  }
});
