// The receiver package's README recipes (packages/webhooks/examples/), each run as a real
// server on 127.0.0.1: signed deliveries are accepted, tampered, unsigned and stale ones are
// refused with the error's code. One test points real endpoints of the pipeline at all four.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getRequestListener } from '@hono/node-server';
import {
  buildExampleEvent,
  generateTestHeader,
  verifySignature,
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
} from '@watchtraderhub/webhooks';
import { createExpressApp } from '../../packages/webhooks/examples/express';
import { createKoaApp } from '../../packages/webhooks/examples/koa';
import { createFastifyApp } from '../../packages/webhooks/examples/fastify';
import { webhookRoute } from '../../packages/webhooks/examples/next-route';
import { describeEvent } from '../../packages/webhooks/examples/handle-event';
import { client, waitUntil } from '../helpers/http';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { FAST } from '../delivery/fixtures';

type Handle = (event: WebhookEvent) => Promise<void>;

interface Running {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<Running> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/wth`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const RECIPES: Record<string, (secrets: string | string[], handle: Handle) => Promise<Running>> = {
  Express: (secrets, handle) => listen(http.createServer(createExpressApp(secrets, handle))),
  Koa: (secrets, handle) => listen(http.createServer(createKoaApp(secrets, handle).callback())),
  Fastify: async (secrets, handle) => {
    const app = createFastifyApp(secrets, handle);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `${address}/webhooks/wth`, close: () => app.close() };
  },
  'Web Request (Next.js route handler)': (secrets, handle) =>
    listen(http.createServer(getRequestListener(webhookRoute(secrets, handle)))),
};

const secret = 'whsec_recipeRecipeRecipeRecipeRecipe12';

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text() };
}

for (const [name, start] of Object.entries(RECIPES)) {
  describe(`recipe: ${name}`, () => {
    const received: WebhookEvent[] = [];
    let failNext = false;
    let server: Running;
    before(async () => {
      server = await start(secret, async (event) => {
        if (failNext) {
          failNext = false;
          throw new Error('the handler failed');
        }
        received.push(event);
      });
    });
    after(() => server.close());

    test('accepts a signed event of every type and hands over the typed event', async () => {
      for (const type of WEBHOOK_EVENT_TYPES) {
        const event = buildExampleEvent(type);
        const body = JSON.stringify(event);
        const res = await post(server.url, body, { 'WTH-Signature': generateTestHeader({ payload: body, secret }) });
        assert.equal(res.status, 204, `${type}: ${res.text}`);
        assert.deepEqual(received.at(-1), event);
        assert.equal(describeEvent(received.at(-1) as WebhookEvent), describeEvent(event));
      }
    });

    test('refuses tampered, unsigned, wrongly signed and stale deliveries, naming the reason', async () => {
      const before = received.length;
      const body = JSON.stringify(buildExampleEvent('order.received'));
      const header = generateTestHeader({ payload: body, secret });
      const stale = generateTestHeader({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - 600 });
      const cases: [string, string, Record<string, string>, string][] = [
        ['tampered body', body.replace('1500000', '1'), { 'WTH-Signature': header }, 'no_matching_signature'],
        ['no signature', body, {}, 'missing_header'],
        [
          'another secret',
          body,
          { 'WTH-Signature': generateTestHeader({ payload: body, secret: 'whsec_x' }) },
          'no_matching_signature',
        ],
        ['ten minutes old', body, { 'WTH-Signature': stale }, 'timestamp_too_old'],
        ['garbage header', body, { 'WTH-Signature': 'sha256=abc' }, 'malformed_header'],
      ];
      for (const [what, b, headers, code] of cases) {
        const res = await post(server.url, b, headers);
        assert.equal(res.status, 400, what);
        assert.match(res.text, new RegExp(`^${code}: `), what);
      }
      assert.equal(received.length, before, 'nothing refused reached the handler');
    });

    test('a handler error answers 5xx, so the delivery is retried', async () => {
      const body = JSON.stringify(buildExampleEvent('listing.sold'));
      failNext = true;
      const res = await post(server.url, body, { 'WTH-Signature': generateTestHeader({ payload: body, secret }) });
      assert.equal(res.status, 500);
    });
  });
}

test('Express with express.json() before the webhook route: the error says to pass the raw body', async () => {
  const app = express();
  app.use(express.json());
  app.post('/webhooks/wth', (req, res) => {
    try {
      verifySignature(req.body, req.get('WTH-Signature'), secret);
      res.sendStatus(204);
    } catch (err) {
      res.status(400).send((err as { code: string }).code);
    }
  });
  const server = await listen(http.createServer(app));
  try {
    const body = JSON.stringify(buildExampleEvent('listing.sold'));
    const res = await post(server.url, body, { 'WTH-Signature': generateTestHeader({ payload: body, secret }) });
    assert.deepEqual(res, { status: 400, text: 'body_not_raw' });
  } finally {
    await server.close();
  }
});

describe('real deliveries from the pipeline', () => {
  let api: TestApi;
  let worker: TestWorker;
  const servers: Running[] = [];
  before(async () => {
    api = await startTestApi(FAST);
    worker = await startTestWorker(FAST);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await worker.stop();
    await api.close();
  });

  test('a test ping reaches every recipe, verified with its endpoint secret; a tampered replay is refused', async () => {
    const { keys } = await createTestDealer(api.deps.db);
    const wth = client(api.url, keys.test.key);
    const endpoints: { name: string; id: string; url: string; received: WebhookEvent[] }[] = [];
    for (const [name, start] of Object.entries(RECIPES)) {
      // The secret comes with the endpoint, so the endpoint comes first and gets its URL after.
      const created = await wth.post('/api/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/webhooks/wth' });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const received: WebhookEvent[] = [];
      const server = await start(created.body.secret, async (e) => void received.push(e));
      servers.push(server);
      assert.equal((await wth.patch(`/api/v1/webhook_endpoints/${created.body.id}`, { url: server.url })).status, 200);
      endpoints.push({ name, id: created.body.id, url: server.url, received });
    }
    const ping = await wth.post('/api/v1/test/webhook_ping', {});
    assert.equal(ping.status, 200);
    for (const e of endpoints) {
      await waitUntil(async () => e.received.length > 0, { what: `${e.name} receives the ping` });
      assert.equal(e.received.length, 1, e.name);
      assert.equal(e.received[0]?.id, ping.body.id, e.name);
      assert.equal(e.received[0]?.type, 'integration.test_event', e.name);
    }
    const deliveries = await waitUntil(async () => {
      const list = await wth.get(`/api/v1/deliveries?event_id=${ping.body.id}`);
      return list.body.data.every((d: any) => d.status !== 'pending') && list.body.data;
    });
    assert.deepEqual(
      deliveries.map((d: any) => [d.status, d.last_status_code]),
      endpoints.map(() => ['succeeded', 204]),
    );
    // The exact request the pipeline sent, replayed with one byte changed, is refused.
    const first = endpoints[0]!;
    const delivery = deliveries.find((d: any) => d.endpoint_id === first.id);
    const attempt = (await wth.get(`/api/v1/deliveries/${delivery.id}`)).body.attempts[0];
    const sentBody = JSON.stringify(first.received[0]);
    const tampered = await post(first.url, sentBody.replace('"livemode":false', '"livemode":true'), {
      'WTH-Signature': attempt.signature_header,
    });
    assert.equal(tampered.status, 400);
    assert.match(tampered.text, /^no_matching_signature: /);
    const replayed = await post(first.url, sentBody, { 'WTH-Signature': attempt.signature_header });
    assert.equal(replayed.status, 204, 'the untouched replay within 5 minutes verifies (receivers deduplicate on id)');
  });
});
