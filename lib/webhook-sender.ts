// One HTTP POST of a signed webhook: bounded in time and in how much of the answer is read,
// never following redirects, never throwing for an HTTP answer (only the caller decides).
import type { LookupFunction } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';

export interface SendResult {
  statusCode: number | null;
  /** Network-level failure in words (timeout, refused, TLS …); null when an HTTP answer came. */
  error: string | null;
  bodyPreview: string | null;
  retryAfter: string | null;
  durationMs: number;
}

export interface SenderOptions {
  /** Connect-time address check (SSRF): runs for every DNS resolution undici makes. */
  lookup?: LookupFunction;
  /** Rejects a URL before connecting (IP literals never reach `lookup`). */
  checkUrl?: (url: URL) => void | Promise<void>;
  /** Per-origin socket cap, so one endpoint cannot hold every socket. */
  connectionsPerOrigin?: number;
}

export interface WebhookSender {
  send(input: {
    url: string;
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    previewBytes: number;
    signal?: AbortSignal;
  }): Promise<SendResult>;
  close(): Promise<void>;
}

export function createWebhookSender(opts: SenderOptions = {}): WebhookSender {
  const agent = new Agent({
    connections: opts.connectionsPerOrigin ?? 16,
    keepAliveTimeout: 10_000,
    ...(opts.lookup ? { connect: { lookup: opts.lookup } } : {}),
  });
  return {
    async send(input) {
      const started = performance.now();
      const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({
        ...r,
        durationMs: Math.round(performance.now() - started),
      });
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new AttemptTimeout(input.timeoutMs)), input.timeoutMs);
      const signal = input.signal ? AbortSignal.any([timeout.signal, input.signal]) : timeout.signal;
      try {
        const url = new URL(input.url);
        await opts.checkUrl?.(url);
        const res = await request(url, {
          method: 'POST',
          headers: input.headers,
          body: input.body,
          dispatcher: agent as Dispatcher,
          signal,
        });
        const bodyPreview = await readPreview(res.body, input.previewBytes);
        const retryAfter = res.headers['retry-after'];
        return done({
          statusCode: res.statusCode,
          error: null,
          bodyPreview,
          retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
        });
      } catch (err) {
        if (input.signal?.aborted) throw input.signal.reason ?? err;
        return done({
          statusCode: null,
          error: describeError(err, timeout.signal),
          bodyPreview: null,
          retryAfter: null,
        });
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => agent.close(),
  };
}

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/** Reads at most `maxBytes`, then drops the connection's remaining body. */
async function readPreview(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      chunks.push(buf.subarray(0, Math.max(0, maxBytes - size)));
      size += buf.length;
      if (size >= maxBytes) break;
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
  if (chunks.length === 0) return null;
  // A cut multi-byte character becomes U+FFFD rather than an error.
  return Buffer.concat(chunks).toString('utf8');
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
};

/** A short, stack-free description fit for the delivery log. */
function describeError(err: unknown, timeout: AbortSignal): string {
  if (timeout.aborted && timeout.reason instanceof AttemptTimeout) return timeout.reason.message;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (code && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  if (code && /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_SSL)/.test(code)) return `TLS error (${code})`;
  const message = (e?.message ?? String(err)).split('\n')[0] ?? 'request failed';
  return message.slice(0, 200);
}
