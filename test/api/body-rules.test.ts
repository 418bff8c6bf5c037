import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { probeRoutes } from '../helpers/probe-routes';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';

let api: TestApi;

before(async () => {
  const probe = probeRoutes();
  api = await startTestApi({ API_BODY_LIMIT: '8kb' }, { extraV1Routes: (r) => probe.register(r) });
});
after(async () => api.close());

test('a body over API_BODY_LIMIT is a 413 body_too_large, also without a Content-Length', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const big = { name: 'x'.repeat(10_000) };
  const res = await c.post('/api/v1/probe', big);
  assert.equal(res.status, 413);
  assert.equal(res.body.error.code, 'body_too_large');
  // Chunked: the limit is enforced while reading, not from the header.
  const chunked = await fetch(`${api.url}/api/v1/probe`, {
    method: 'POST',
    headers: { authorization: `Bearer ${d.keys.test.key}`, 'content-type': 'application/json' },
    body: new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 4; i++) ctl.enqueue(new TextEncoder().encode(i === 0 ? '{"name":"' : 'y'.repeat(4000)));
        ctl.enqueue(new TextEncoder().encode('"}'));
        ctl.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);
  assert.equal(chunked.status, 413);
  assert.equal(((await chunked.json()) as { error: { code: string } }).error.code, 'body_too_large');
  const ok = await c.post('/api/v1/probe', { name: 'x'.repeat(1000) });
  assert.equal(ok.status, 200);
});

test('a non-JSON Content-Type with a body is a 415, on dashboard routes too', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await c.call('POST', '/api/v1/probe', 'name=a', { 'content-type': type });
    assert.equal(res.status, 415, type);
    assert.equal(res.body.error.code, 'unsupported_media_type');
  }
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const dash = await c.call('POST', '/api/dashboard/integrations', 'name=x', {
    ...headers,
    'content-type': 'text/plain',
  });
  assert.equal(dash.status, 415);
  const charset = await c.call('POST', '/api/v1/probe', '{"name":"a"}', {
    'content-type': 'application/json; charset=utf-8',
  });
  assert.equal(charset.status, 200);
});

test('malformed JSON and a non-object body are 400s', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const bad = await c.call('POST', '/api/v1/probe', '{"name": ', { 'content-type': 'application/json' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_json');
  for (const body of ['"text"', '42', 'null']) {
    const res = await c.call('POST', '/api/v1/probe', body, { 'content-type': 'application/json' });
    assert.equal(res.status, 400, body);
  }
  const arr = await c.call('POST', '/api/v1/probe', '[1]', { 'content-type': 'application/json' });
  assert.equal(arr.status, 400);
});

test('unknown body fields and query parameters are 400s naming them', async () => {
  const d = await createTestDealer(api.deps.db);
  const c = client(api.url, d.keys.test.key);
  const field = await c.post('/api/v1/probe', { name: 'a', colour: 'red' });
  assert.equal(field.status, 400);
  assert.equal(field.body.error.code, 'parameter_unknown');
  assert.equal(field.body.error.param, 'colour');
  const query = await c.get('/api/v1/me?expand=all');
  assert.equal(query.status, 400);
  assert.equal(query.body.error.param, 'expand');
  // A route without a body schema takes no body.
  const headers = await dashboardSessionHeaders(api.deps.db, d.dealer.id);
  const logout = await c.post('/api/dashboard/logout', { everywhere: true }, headers);
  assert.equal(logout.status, 400);
  assert.equal(logout.body.error.param, 'everywhere');
});

test('a wrong method on a known path is a 405 in the error shape', async () => {
  const d = await createTestDealer(api.deps.db);
  const res = await client(api.url, d.keys.test.key).call('DELETE', '/api/v1/me');
  assert.equal(res.status, 405);
  assert.equal(res.body.error.code, 'method_not_allowed');
  assert.match(res.headers.get('allow') ?? '', /GET/);
});
