// The connect-time SSRF guard against real sockets: an undici Agent with guardedLookup must
// not open a connection to a loopback receiver reached through a name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { BlockedAddressError, guardedLookup } from '../../lib/address-policy';

let server: http.Server;
let port: number;
let hits = 0;

before(async () => {
  server = http.createServer((_req, res) => {
    hits += 1;
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('guardedLookup refuses a connection to 127.0.0.1 reached through the name localhost', async () => {
  const agent = new Agent({ connect: { lookup: guardedLookup(false) } });
  try {
    const before = hits;
    await assert.rejects(
      request(`http://localhost:${port}/hook`, { method: 'POST', body: '{}', dispatcher: agent }),
      (err: unknown) => {
        assert.ok(err instanceof BlockedAddressError, String(err));
        assert.match(
          err.message,
          /^host localhost resolves to (127\.0\.0\.1|::1), which is in a blocked range \(loopback\)$/,
        );
        return true;
      },
    );
    assert.equal(hits, before, 'the receiver must never see the request');
  } finally {
    await agent.close();
  }
});

test('guardedLookup lets the same request through when private networks are allowed', async () => {
  const agent = new Agent({ connect: { lookup: guardedLookup(true) } });
  try {
    const before = hits;
    const res = await request(`http://localhost:${port}/hook`, { method: 'POST', body: '{}', dispatcher: agent });
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), 'ok');
    assert.equal(hits, before + 1);
  } finally {
    await agent.close();
  }
});
