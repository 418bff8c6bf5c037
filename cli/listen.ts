// `wth listen --forward-to URL`: receives this integration's webhooks on a developer's machine
// without a tunnel. The listener is a webhook endpoint of the integration; its deliveries come
// over one long-lived SSE connection to the API. Each is POSTed to the local server with the
// exact signed bytes and headers, and acknowledged only after the local server answered (its
// status lands in the delivery log). Unacknowledged ones are handed out again on reconnect.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createWebhookSender } from '../lib/webhook-sender';
import { ApiCallError, createApiClient, describeApiError, unreachable, type ApiClient } from './api-client';

export interface ListenOptions {
  apiUrl: string;
  apiKey: string;
  forwardTo: URL;
  events: string[];
  name: string;
  printSecret: boolean;
  format: 'text' | 'json';
  concurrency: number;
  live: boolean;
}

interface Delivery {
  handoff_id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  headers: Record<string, string>;
  body: string;
  ack_by: string;
  timeout_ms: number;
}

interface Listener {
  id: string;
  livemode: boolean;
  enabled_events: string[];
  secret: string;
  listener: { name: string };
}

/** Errors after which reconnecting cannot help: the key, the listener or the name is the problem. */
const FATAL_STATUSES = new Set([400, 401, 403, 404, 409]);
const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 10_000];
const PREVIEW_BYTES = 4096;

export const defaultListenerName = (): string =>
  os
    .hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64) || 'localhost';

export async function listen(opts: ListenOptions): Promise<number> {
  const api = createApiClient({ baseUrl: opts.apiUrl, key: opts.apiKey });
  const out = createOutput(opts.format);
  const me = await api.get<{ livemode: boolean }>('/api/v1/me');
  if (me.livemode && !opts.live) {
    throw new ApiCallError(
      'this is a live API key: pass --live to forward live events (or use a test key)',
      null,
      null,
    );
  }
  if (!me.livemode && opts.live)
    throw new ApiCallError('--live needs a live API key; this one is a test key', null, null);
  const listener = await api.post<Listener>('/api/v1/listeners', { name: opts.name, enabled_events: opts.events });
  if (opts.printSecret) {
    process.stdout.write(`${listener.secret}\n`);
    return 0;
  }
  out.status('registered', {
    message:
      `Listener ${listener.id} ('${listener.listener.name}', ${listener.livemode ? 'live' : 'test'} mode, events: ${listener.enabled_events.join(',')}) ` +
      `forwarding to ${opts.forwardTo.href}\nYour webhook signing secret is ${listener.secret}`,
    listener_id: listener.id,
    name: listener.listener.name,
    livemode: listener.livemode,
    enabled_events: listener.enabled_events,
    forward_to: opts.forwardTo.href,
    secret: listener.secret,
  });
  return new ListenSession(api, opts, listener, out).run();
}

type Output = ReturnType<typeof createOutput>;

function createOutput(format: 'text' | 'json') {
  return {
    /** Progress and problems: stderr as text, or one JSON line on stdout. */
    status(type: string, fields: Record<string, unknown> & { message: string }) {
      if (format === 'json')
        process.stdout.write(`${JSON.stringify({ type, time: new Date().toISOString(), ...fields })}\n`);
      else process.stderr.write(`${fields.message}\n`);
    },
    /** One line per forwarded event on stdout. */
    delivery(d: Delivery, r: { statusCode: number | null; error: string | null; durationMs: number }, acked: string) {
      const time = new Date().toISOString();
      if (format === 'json') {
        process.stdout.write(
          `${JSON.stringify({
            type: 'delivery',
            time,
            event_id: d.event_id,
            event_type: d.event_type,
            delivery_id: d.delivery_id,
            attempt: d.attempt,
            status_code: r.statusCode,
            error: r.error,
            duration_ms: r.durationMs,
            acknowledged: acked,
          })}\n`,
        );
        return;
      }
      const result = r.statusCode !== null ? String(r.statusCode) : `error: ${r.error}`;
      const note = acked === 'accepted' || acked === 'already_acknowledged' ? '' : `  (${acked})`;
      process.stdout.write(
        `${time}  ${d.event_type}  ${d.event_id}  ${d.delivery_id} #${d.attempt}  -> ${result}  ${r.durationMs} ms${note}\n`,
      );
    },
  };
}

class ListenSession {
  private readonly sessionId = randomUUID();
  private readonly sender = createWebhookSender({ connectionsPerOrigin: 16 });
  private readonly inFlight = new Map<string, Promise<void>>();
  private stream: AbortController | null = null;
  private stopping = false;
  private fatal: string | null = null;
  private probing = false;

  constructor(
    private readonly api: ApiClient,
    private readonly opts: ListenOptions,
    private readonly listener: Listener,
    private readonly out: Output,
  ) {}

  async run(): Promise<number> {
    const stop = (signal: string) => {
      if (this.stopping) return;
      this.stopping = true;
      this.out.status('stopping', {
        message: `${signal}: stopping (finishing ${this.inFlight.size} forward(s))`,
        signal,
      });
      this.stream?.abort();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));

    let failures = 0;
    while (!this.stopping && !this.fatal) {
      const ready = await this.connectOnce().catch((err: unknown) => {
        if (err instanceof ApiCallError && err.status !== null && FATAL_STATUSES.has(err.status)) {
          this.fatal = err.message;
        } else if (!this.stopping) {
          this.out.status('disconnected', { message: `connection lost: ${(err as Error).message}` });
        }
        return false;
      });
      if (this.stopping || this.fatal) break;
      failures = ready ? 0 : failures + 1;
      const base = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] as number;
      const wait = Math.round(base * (0.8 + Math.random() * 0.4));
      this.out.status('reconnecting', { message: `reconnecting in ${wait} ms`, in_ms: wait });
      await sleep(wait);
    }
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), sleep(15_000)]);
    await this.api
      .post(
        `/api/v1/listeners/${this.listener.id}/disconnect`,
        { session_id: this.sessionId },
        AbortSignal.timeout(3_000),
      )
      .catch(() => undefined);
    await this.sender.close();
    if (this.fatal) {
      this.out.status('error', { message: `wth listen: ${this.fatal}` });
      return 1;
    }
    this.out.status('stopped', { message: 'stopped; the listener is marked not connected' });
    return 0;
  }

  /** One connection, until it ends; true when it got as far as `ready`. */
  private async connectOnce(): Promise<boolean> {
    const controller = new AbortController();
    this.stream = controller;
    const q = new URLSearchParams({ session_id: this.sessionId, concurrency: String(this.opts.concurrency) });
    const url = `${this.api.baseUrl}/api/v1/listeners/${this.listener.id}/stream?${q}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: this.api.headers({ accept: 'text/event-stream' }), signal: controller.signal });
    } catch (err) {
      throw unreachable(this.api.baseUrl, err);
    }
    if (!res.ok || !res.body) {
      const body = await res.json().catch(() => null);
      throw describeApiError(res.status, body);
    }
    let ready = false;
    // Three missed heartbeats: the connection is dead even if TCP has not noticed (sleep, proxies).
    let watchdogMs = 45_000;
    let watchdog = setTimeout(() => controller.abort(), watchdogMs);
    const parser = createParser({
      onEvent: (m: EventSourceMessage) => {
        if (m.event === 'ready') {
          ready = true;
          const info = JSON.parse(m.data) as { heartbeat_ms: number };
          watchdogMs = info.heartbeat_ms * 3;
          this.out.status('ready', {
            message: `Ready: connected, forwarding ${this.listener.livemode ? 'live' : 'test'} events (Ctrl-C to stop)`,
            listener_id: this.listener.id,
          });
        } else if (m.event === 'delivery') {
          const d = JSON.parse(m.data) as Delivery;
          // Handed out again after a reconnect while this process is still forwarding it.
          if (this.inFlight.has(d.handoff_id)) return;
          const p = this.forward(d).finally(() => this.inFlight.delete(d.handoff_id));
          this.inFlight.set(d.handoff_id, p);
        } else if (m.event === 'error') {
          const e = JSON.parse(m.data) as { code: string; message: string };
          if (e.code === 'listener_deleted' || e.code === 'listener_taken_over') this.fatal = e.message;
          else this.out.status('server', { message: e.message, code: e.code });
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), watchdogMs);
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      if (!this.stopping) this.out.status('watchdog', { message: 'no heartbeat from the API; reconnecting' });
    } finally {
      clearTimeout(watchdog);
    }
    return ready;
  }

  /** POSTs the exact bytes with the signed headers, then acknowledges with the answer. */
  private async forward(d: Delivery): Promise<void> {
    // Leave a second for the acknowledgement to arrive before the attempt gives up.
    const timeoutMs = Math.max(500, Math.min(Date.parse(d.ack_by) - Date.now() - 1_000, d.timeout_ms));
    const sent = await this.sender.send({
      url: this.opts.forwardTo.href,
      headers: d.headers,
      body: d.body,
      timeoutMs,
      previewBytes: PREVIEW_BYTES,
    });
    const error = sent.error ? `local server: ${sent.error}` : null;
    const acked = await this.ack(d, { ...sent, error });
    this.out.delivery(d, { statusCode: sent.statusCode, error, durationMs: sent.durationMs }, acked);
    // Only when it is not running at all: a hanging server would be woken into a busy loop.
    if (sent.error === 'connection refused') void this.probeLocalServer();
  }

  private async ack(
    d: Delivery,
    r: { statusCode: number | null; error: string | null; bodyPreview: string | null; durationMs: number },
  ): Promise<string> {
    const body = {
      session_id: this.sessionId,
      handoff_id: d.handoff_id,
      status_code: r.statusCode,
      error: r.error?.slice(0, 500) ?? null,
      response_body_preview: r.bodyPreview,
      duration_ms: r.durationMs,
    };
    for (let i = 0; ; i++) {
      try {
        const res = await this.api.post<{ result: string }>(`/api/v1/listeners/${this.listener.id}/acks`, body);
        return res.result;
      } catch (err) {
        const e = err as ApiCallError;
        if (e.code === 'handoff_expired') return 'too late: the delivery will be retried';
        if ((e.status !== null && e.status < 500) || i >= 4 || Date.now() > Date.parse(d.ack_by)) {
          return `not acknowledged (${e.message}); it will be handed out again`;
        }
        await sleep(250 * 2 ** i);
      }
    }
  }

  /**
   * The local server did not answer: its deliveries go back to backoff. Once it accepts
   * connections again, ask the API to attempt them now instead of minutes later.
   */
  private async probeLocalServer(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const { hostname, port, protocol } = this.opts.forwardTo;
    const target = { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || (protocol === 'https:' ? 443 : 80)) };
    try {
      while (!this.stopping && !(await canConnect(target))) await sleep(1_000);
      if (this.stopping) return;
      const woken = await this.api.post<{ count: number }>(`/api/v1/listeners/${this.listener.id}/wake`);
      this.out.status('local_server_up', {
        message: `local server answers again; ${woken.count} waiting deliver${woken.count === 1 ? 'y' : 'ies'} sent now`,
        count: woken.count,
      });
    } catch (err) {
      this.out.status('warning', { message: `could not wake waiting deliveries: ${(err as Error).message}` });
    } finally {
      this.probing = false;
    }
  }
}

function canConnect(target: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(target);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
