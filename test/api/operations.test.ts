// What operators get from the API: request ids, one access log line per request, stack frames
// (never SQL values) for 5xx, Prometheus metrics, and client addresses behind a trusted proxy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { z } from '../../api/openapi/zod';
import { createLogger } from '../../lib/logger';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';

const lines: any[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    done();
  },
});

let api: TestApi;
let proxied: TestApi;

const SECRET_VALUE = 'sk-very-secret-value-42';

before(async () => {
  const logger = createLogger({ level: 'info', name: 'api-ops-test' }, sink);
  api = await startTestApi(
    {},
    {
      extraV1Routes: (r) =>
        r.add({
          method: 'get',
          path: '/broken_query',
          operationId: 'testBrokenQuery',
          summary: 'Test-only: a query that fails',
          tags: ['Test probe'],
          auth: 'api_key',
          response: z.object({ ok: z.boolean() }),
          errors: [500],
          handler: async ({ deps }) => {
            await deps.db.raw('select * from no_such_table where token = ?', [SECRET_VALUE]);
            return { ok: true };
          },
        }),
    },
    { logger },
  );
  proxied = await startTestApi({ TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' }, {}, { logger });
});
after(async () => Promise.all([api.close(), proxied.close()]));

const accessLines = (requestId: string) => lines.filter((l) => l.requestId === requestId && l.msg === 'request');

test('every response carries a request id: a sane X-Request-Id is kept, anything else replaced', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  const mine = await c.get('/api/v1/deliveries?limit=1', { 'x-request-id': 'lb-1234.abc' });
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('x-request-id'), 'lb-1234.abc');
  const fresh = await c.get('/api/v1/deliveries');
  assert.match(fresh.headers.get('x-request-id') ?? '', /^req_[0-9a-f-]{36}$/);
  const insane = await c.get('/api/v1/deliveries', { 'x-request-id': `${'x'.repeat(200)}` });
  assert.match(insane.headers.get('x-request-id') ?? '', /^req_/);
  // Errors too, and routes that do not exist.
  const missing = await client(api.url, undefined, { checkContract: false }).get('/api/v1/nope');
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('x-request-id') ?? '', /^req_/);
});

test('one access log line per request: route, status, duration, client; no query string or key', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const c = client(api.url, dealer.keys.test.key);
  // An unknown parameter is refused (400); the line is written all the same, without the query.
  const res = await c.get('/api/v1/deliveries?limit=2&token=abc123', { 'x-request-id': 'access-log-1' });
  assert.equal(res.status, 400);
  const [line, ...more] = accessLines('access-log-1');
  assert.ok(line, 'an access log line');
  assert.equal(more.length, 0);
  assert.equal(line.method, 'GET');
  assert.equal(line.path, '/api/v1/deliveries');
  assert.equal(line.route, '/api/v1/deliveries');
  assert.equal(line.status, 400);
  assert.equal(typeof line.durationMs, 'number');
  assert.equal(line.clientIp, '127.0.0.1');
  const text = JSON.stringify(line);
  assert.ok(!text.includes('abc123') && !text.includes(dealer.keys.test.key));
});

test('a 5xx is logged with its request id and stack frames, without the SQL values', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const res = await client(api.url, dealer.keys.test.key).get('/api/v1/broken_query', { 'x-request-id': 'boom-1' });
  assert.equal(res.status, 500);
  assert.equal(res.body.error.code, 'internal_error');
  assert.ok(!JSON.stringify(res.body).includes('at '), 'no stack in the response');
  const failure = lines.find((l) => l.requestId === 'boom-1' && l.msg === 'request failed');
  assert.ok(failure, 'the failure is logged with the request id');
  assert.equal(failure.err.type, 'DatabaseError');
  assert.ok(Array.isArray(failure.stack) && failure.stack.length > 0);
  assert.ok(failure.stack.every((f: string) => f.startsWith('at ')));
  const all = JSON.stringify(lines.filter((l) => l.requestId === 'boom-1'));
  assert.ok(!all.includes(SECRET_VALUE), 'no SQL values in any log line');
  assert.ok(!all.includes('no_such_table'), 'no SQL text in any log line');
});

test('GET /metrics: Prometheus text with requests by route and status, and latencies', async () => {
  const dealer = await createTestDealer(api.deps.db);
  await client(api.url, dealer.keys.test.key).get('/api/v1/deliveries');
  const res = await fetch(`${api.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, /^wth_http_requests_total\{method="GET",route="\/api\/v1\/deliveries",status="200"\} [1-9]\d*$/m);
  assert.match(
    text,
    /^wth_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/deliveries",status="200"\} \d+$/m,
  );
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.ok(!text.includes(dealer.dealer.id), 'nothing about dealers');
});

test('X-Forwarded-For is believed only from a trusted proxy', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const spoof = { 'x-forwarded-for': '198.51.100.7' };
  await client(api.url, dealer.keys.test.key).get('/api/v1/deliveries', { ...spoof, 'x-request-id': 'xff-untrusted' });
  assert.equal(accessLines('xff-untrusted')[0]?.clientIp, '127.0.0.1');
  await client(proxied.url, dealer.keys.test.key).get('/api/v1/deliveries', {
    'x-forwarded-for': '6.6.6.6, 198.51.100.7',
    'x-request-id': 'xff-trusted',
  });
  assert.equal(accessLines('xff-trusted')[0]?.clientIp, '198.51.100.7');
});
