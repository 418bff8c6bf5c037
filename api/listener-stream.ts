// The long-lived connection of a `wth listen` process: server-sent events over one GET. It
// hands the listener's deliveries out (signed now), at most `window` unacknowledged at once,
// oldest event first, and beats every LISTENER_HEARTBEAT_MS so proxies keep the connection
// and the CLI's watchdog can tell a dead one. All state is in Postgres: any API process can
// serve any listener, and a reconnect to another process resumes where this one stopped.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Koa from 'koa';
import type { Context } from 'koa';
import type { AppDeps } from './deps';
import { claimNextHandoff } from '../domain/webhooks/listener-handoffs';
import {
  connectListener,
  disconnectListener,
  touchListener,
  wakeListenerDeliveries,
} from '../domain/webhooks/listeners';
import type { ListenerScope } from '../domain/webhooks/listeners';

// Latency between an attempt starting and the hand-over reaching the CLI.
const POLL_MS = 200;

const open = new WeakMap<Koa, Set<() => void>>();

/** Ends every listener stream of this app (shutdown): the CLIs reconnect to another process. */
export function closeListenerStreams(app: Koa): void {
  for (const end of open.get(app) ?? []) end();
}

const frame = (event: string, data: unknown, id?: string): string =>
  `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function openListenerStream(
  ctx: Context,
  deps: AppDeps,
  scope: ListenerScope,
  input: { listenerId: string; sessionId: string; window: number },
): Promise<PassThrough> {
  const connectionId = randomUUID();
  const endpoint = await connectListener(deps.db, scope, input.listenerId, input.sessionId, connectionId);
  const log = deps.logger.child({ listenerId: endpoint.id, connectionId });
  const out = new PassThrough();
  const streams = open.get(ctx.app) ?? new Set();
  open.set(ctx.app, streams);

  let closed = false;
  let wake: (() => void) | null = null;
  const write = (event: string, data: unknown, id?: string) => {
    if (!closed) out.write(frame(event, data, id));
  };
  const end = (error?: { code: string; message: string }) => {
    if (closed) return;
    if (error) write('error', error);
    closed = true;
    clearInterval(beat);
    streams.delete(end);
    wake?.();
    out.end();
    void disconnectListener(deps.db, endpoint.id, { connectionId }).catch((err) =>
      log.warn({ err }, 'could not mark the listener disconnected'),
    );
  };
  streams.add(() => end({ code: 'server_shutting_down', message: 'The API is restarting; reconnect.' }));
  ctx.req.socket.setTimeout(0);
  ctx.res.on('close', () => end());
  ctx.set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });

  const heartbeatMs = deps.config.LISTENER_HEARTBEAT_MS;
  const beat = setInterval(() => {
    void touchListener(deps.db, endpoint.id, connectionId).then(
      async (owned) => {
        if (owned) return write('ping', { time: new Date().toISOString() });
        const still = await deps.db('webhook_endpoints').where({ id: endpoint.id }).first('id');
        end(
          still
            ? { code: 'listener_taken_over', message: 'Another connection of this listener took over.' }
            : {
                code: 'listener_deleted',
                message: `The listener endpoint ${endpoint.id} was deleted; run \`wth listen\` again to register a new one.`,
              },
        );
      },
      (err) => log.warn({ err }, 'listener heartbeat failed'),
    );
  }, heartbeatMs);

  out.write('retry: 1000\n\n');
  write('ready', {
    listener_id: endpoint.id,
    name: endpoint.listener_name,
    livemode: endpoint.livemode,
    session_id: input.sessionId,
    concurrency: input.window,
    heartbeat_ms: heartbeatMs,
  });
  // Deliveries that failed while nobody listened are attempted now rather than after backoff.
  void wakeListenerDeliveries(deps, endpoint.id).catch((err) => log.warn({ err }, 'waking deliveries failed'));

  void (async () => {
    while (!closed) {
      try {
        const next = await claimNextHandoff(deps.db, deps.config.secretsKey, {
          endpointId: endpoint.id,
          sessionId: input.sessionId,
          connectionId,
          window: input.window,
        });
        if (next) {
          write(
            'delivery',
            {
              handoff_id: next.handoffId,
              delivery_id: next.deliveryId,
              event_id: next.eventId,
              event_type: next.eventType,
              attempt: next.attemptNumber,
              headers: next.headers,
              body: next.body,
              ack_by: next.ackBy,
              // The local POST gets what an HTTP endpoint gets.
              timeout_ms: deps.config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
            },
            next.handoffId,
          );
          continue;
        }
      } catch (err) {
        log.warn({ err }, 'listener hand-over failed; retrying');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS);
      });
      wake = null;
    }
  })();
  return out;
}
