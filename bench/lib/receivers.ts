// Stand-ins for dealers' webhook receivers: one node:http server per endpoint on 127.0.0.1
// (each its own origin, as real endpoints are, so a hanging one cannot share a connection
// pool with a healthy one). Each verifies WTH-Signature and records arrivals in the ledger.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Ledger } from './ledger';
import { verifySignature } from './signature';

/** ok: 200 at once; slow: 200 after `slowMs` (a delivery stays in flight); fail: 500; hang: no answer. */
export type ReceiverMode = 'ok' | 'slow' | 'fail' | 'hang';

export class Receiver {
  endpointId = '';
  secrets: string[] = [];
  mode: ReceiverMode = 'ok';
  requests = 0;
  /** Requests received and not yet answered. */
  open = 0;
  slowMs = 500;
  private readonly hanging = new Set<NodeJS.Timeout>();

  constructor(
    readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Answers held open by `hang` end by themselves after this long, so nothing waits forever. */
  static HANG_MAX_MS = 60_000;

  async close(): Promise<void> {
    for (const t of this.hanging) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  handle(ledger: Ledger, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    this.requests++;
    this.open++;
    res.on('close', () => this.open--);
    const at = Date.now();
    if (this.mode === 'hang') {
      const t = setTimeout(() => {
        this.hanging.delete(t);
        res.writeHead(200).end();
      }, Receiver.HANG_MAX_MS);
      this.hanging.add(t);
      res.on('close', () => {
        clearTimeout(t);
        this.hanging.delete(t);
      });
      return;
    }
    if (this.mode === 'fail') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('induced failure');
      return;
    }
    let eventId: string | null = null;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { id?: unknown };
      if (typeof parsed.id === 'string') eventId = parsed.id;
    } catch {
      // counted below
    }
    if (!eventId) {
      ledger.recordUnreadable();
      res.writeHead(400).end();
      return;
    }
    const header = req.headers['wth-signature'];
    const signatureOk = verifySignature(Array.isArray(header) ? header[0] : header, body, this.secrets);
    // Recorded on arrival, as a receiver that processes before answering would: a delivery
    // whose answer is lost (its sender died) and that is sent again shows as a duplicate.
    ledger.record({ endpointId: this.endpointId, eventId, at, signatureOk });
    const answer = () =>
      res.writeHead(signatureOk ? 200 : 400, { 'content-type': 'application/json' }).end('{"received":true}');
    if (this.mode === 'slow') {
      const t = setTimeout(answer, this.slowMs);
      res.on('close', () => clearTimeout(t));
    } else answer();
  }
}

export async function startReceivers(ledger: Ledger, count: number): Promise<Receiver[]> {
  const out: Receiver[] = [];
  for (let i = 0; i < count; i++) {
    let receiver: Receiver | null = null;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => receiver?.handle(ledger, req, res, Buffer.concat(chunks)));
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new Receiver(server, `http://127.0.0.1:${port}/webhooks`);
    out.push(receiver);
  }
  return out;
}

export async function closeReceivers(receivers: readonly Receiver[]): Promise<void> {
  await Promise.all(receivers.map((r) => r.close()));
}
