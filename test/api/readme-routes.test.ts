// README.md's API section is the route list printed from the OpenAPI document the server serves
// (scripts/print-routes.ts); this fails when a route is added, removed or renamed without it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApi, type TestApi } from '../helpers/stack';
import { routeList, type OpenApiDocument } from '../../scripts/print-routes';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api.close();
});

test('the README lists exactly the routes of the served OpenAPI document', async () => {
  const res = await fetch(`${api.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const expected = routeList((await res.json()) as OpenApiDocument);
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const listed = /<!-- routes:start -->\n([\s\S]*?)\n<!-- routes:end -->/.exec(readme)?.[1]?.trim();
  assert.equal(
    listed,
    expected,
    'README.md API section is stale: paste `npx tsx scripts/print-routes.ts <api>/api/v1/openapi.json` between the routes markers',
  );
  // Both documents the section points to are served.
  assert.equal((await fetch(`${api.url}/openapi/v1.postman.json`)).status, 200);
});
