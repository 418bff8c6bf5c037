// The connect-time SSRF guard against real sockets: an undici Agent with guardedLookup must
// not open a connection to a loopback receiver reached through a name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { BlockedAddressError, guardedLookup, type Resolver } from '../../lib/address-policy';

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

test('guardedLookup speaks both dns.lookup callback forms (single address and all)', async () => {
  const call = (allowPrivate: boolean, options: object | undefined, host = 'localhost') =>
    new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) => {
      const cb = (err: Error | null, address: unknown, family?: number) => resolve({ err, address, family });
      if (options === undefined) (guardedLookup(allowPrivate) as any)(host, cb);
      else (guardedLookup(allowPrivate) as any)(host, options, cb);
    });
  const single = await call(true, undefined);
  assert.equal(single.err, null);
  assert.equal(single.address, '127.0.0.1');
  assert.equal(single.family, 4);
  const all = await call(true, { all: true });
  assert.ok(Array.isArray(all.address) && all.address.some((a: any) => a.address === '127.0.0.1'));
  for (const options of [undefined, { all: true }, { all: false }, { family: 4 }]) {
    const refused = await call(false, options);
    assert.ok(refused.err instanceof BlockedAddressError, JSON.stringify(options));
  }
  // A name that does not exist is the resolver's own error, not a policy refusal.
  const missing = await call(false, {}, 'no-such-host.invalid');
  assert.equal((missing.err as NodeJS.ErrnoException).code, 'ENOTFOUND');
});

test('guardedLookup refuses a name that resolves to cloud metadata even with private networks allowed', async () => {
  // A resolver that answers 169.254.169.254: no real DNS needed, and since the guard refuses
  // before connecting, nothing is ever sent there.
  const resolved: string[] = [];
  const metadataDns: Resolver = (hostname, _options, cb) => {
    resolved.push(hostname);
    cb(null, [{ address: '169.254.169.254', family: 4 }]);
  };
  let connects = 0;
  const agent = new Agent({ connect: { lookup: guardedLookup(true, metadataDns) as any } });
  agent.on('connect', () => connects++);
  try {
    await assert.rejects(
      request('http://metadata.example.test/latest/meta-data/', { method: 'GET', dispatcher: agent }),
      (err: unknown) => {
        assert.ok(err instanceof BlockedAddressError, String(err));
        assert.equal(
          err.message,
          'host metadata.example.test resolves to 169.254.169.254, which is in a blocked range (cloud metadata)',
        );
        return true;
      },
    );
    assert.deepEqual(resolved, ['metadata.example.test']);
    assert.equal(connects, 0);
  } finally {
    await agent.close();
  }
});
