// A real webhook receiver on 127.0.0.1 that checks WTH-Signature the way a dealer's engineer
// would, with its own code (deliberately not lib/signing.ts), and answers as the test scripts.
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface Received {
  n: number;
  at: number;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: any;
  /** The `v1` values that verify against each of `secrets` (in the receiver's order). */
  verifiedBy: string[];
  v1Count: number;
  timestamp: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the sender's timeout must fire). */
  hang?: boolean;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Secrets the receiver accepts; change them to simulate rotation on the receiver side. */
  secrets: string[];
  close(): Promise<void>;
}

function independentlyVerify(
  header: string,
  secrets: string[],
  rawBody: string,
): { ok: string[]; count: number; t: number } {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1] ?? NaN);
  const sigs = [...header.matchAll(/(?:^|,)v1=([0-9a-f]+)/g)].map((m) => m[1] as string);
  const ok: string[] = [];
  for (const secret of secrets) {
    const mac = crypto.createHmac('sha256', Buffer.from(secret, 'utf8'));
    mac.update(String(t));
    mac.update('.');
    mac.update(Buffer.from(rawBody, 'utf8'));
    const want = mac.digest('hex');
    if (sigs.includes(want)) ok.push(secret);
  }
  return { ok, count: sigs.length, t };
}

export async function startReceiver(
  opts: { secrets?: string[]; reply?: (r: Received) => Reply | Promise<Reply>; port?: number } = {},
): Promise<Receiver> {
  const requests: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const self: Receiver = { url: '', requests, secrets: [...(opts.secrets ?? [])], close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const v = independentlyVerify(String(req.headers['wth-signature'] ?? ''), self.secrets, rawBody);
      let body: any = null;
      try {
        body = JSON.parse(rawBody);
      } catch {}
      const r: Received = {
        n: requests.length + 1,
        at: Date.now(),
        headers: req.headers,
        rawBody,
        body,
        verifiedBy: v.ok,
        v1Count: v.count,
        timestamp: v.t,
      };
      requests.push(r);
      const reply = (await opts.reply?.(r)) ?? { status: v.ok.length > 0 ? 200 : 400 };
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...(reply.headers ?? {}) });
      res.end(reply.body ?? (reply.status < 300 ? 'ok' : `nope ${reply.status}`));
    });
  });
  server.listen(opts.port ?? 0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  self.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return self;
}
