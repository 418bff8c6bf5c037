import { randomUUID } from 'node:crypto';
import type { ApiRouter } from '../../route';
import type { ApiKeyAuth } from '../../auth';
import { ConflictError, NotFoundError } from '../../errors';
import { openListenerStream } from '../../listener-stream';
import { presentEndpoint } from '../../presenters/webhook-endpoints';
import { ackHandoff } from '../../../domain/webhooks/listener-handoffs';
import {
  disconnectListener,
  getListener,
  registerListener,
  wakeListenerDeliveries,
  type ListenerScope,
} from '../../../domain/webhooks/listeners';
import {
  ListenerAckBody,
  ListenerAckSchema,
  ListenerDisconnectSchema,
  ListenerIdParams,
  ListenerSchema,
  ListenerSessionBody,
  ListenerStreamQuery,
  ListenerStreamSchema,
  ListenerWakeSchema,
  RegisterListenerBody,
} from '../../schemas/listeners';

const scopeOf = (auth: ApiKeyAuth): ListenerScope => ({
  dealerId: auth.dealerId,
  integrationId: auth.integrationId,
  livemode: auth.livemode,
});

const tags = ['Listeners (wth listen)'];

/** What `wth listen` uses: a listener is a webhook endpoint of kind `listener` served over a stream. */
export function listenerRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/listeners',
    operationId: 'registerListener',
    summary: "Register (or reuse, by name) a listener endpoint in the key's mode; answers its signing secret",
    tags,
    auth: 'api_key',
    body: RegisterListenerBody,
    response: ListenerSchema,
    errors: [422],
    handler: async ({ auth, body, deps }) => {
      const { endpoint, secret, created } = await registerListener(deps.db, deps.config.secretsKey, scopeOf(auth), {
        name: body.name,
        enabledEvents: [...new Set(body.enabled_events ?? ['*'])],
      });
      return { ...presentEndpoint(endpoint), secret, created };
    },
  });

  r.add({
    method: 'get',
    path: '/listeners/:id/stream',
    operationId: 'streamListener',
    summary: "A listener's deliveries as server-sent events, until the connection closes",
    description:
      'One process (`session_id`) at a time per listener: another gets a 409 `listener_already_connected` ' +
      'while the first is alive. Acknowledge each `delivery` with POST /listeners/{id}/acks after the local ' +
      'server answered.',
    tags,
    auth: 'api_key',
    params: ListenerIdParams,
    query: ListenerStreamQuery,
    contentType: 'text/event-stream',
    response: ListenerStreamSchema,
    errors: [404, 409],
    // The stream is the body; koa pipes it until either side closes.
    handler: async ({ auth, params, query, deps, ctx }) =>
      (await openListenerStream(ctx, deps, scopeOf(auth), {
        listenerId: params.id,
        sessionId: query.session_id ?? randomUUID(),
        window: query.concurrency,
      })) as unknown as string,
  });

  r.add({
    method: 'post',
    path: '/listeners/:id/acks',
    operationId: 'acknowledgeListenerDelivery',
    summary: "Acknowledge a hand-over with the local server's answer (recorded as the delivery attempt)",
    tags,
    auth: 'api_key',
    params: ListenerIdParams,
    body: ListenerAckBody,
    response: ListenerAckSchema,
    errors: [404, 409],
    handler: async ({ auth, params, body, deps }) => {
      const listener = await getListener(deps.db, scopeOf(auth), params.id);
      const preview = body.response_body_preview;
      const result = await ackHandoff(deps.db, {
        endpointId: listener.id,
        handoffId: body.handoff_id,
        sessionId: body.session_id,
        outcome: {
          statusCode: body.status_code,
          error: body.error,
          responseBodyPreview:
            preview === null ? null : truncateUtf8(preview, deps.config.WEBHOOK_RESPONSE_PREVIEW_BYTES),
          durationMs: body.duration_ms,
        },
      });
      if (result === 'not_found') throw new NotFoundError('hand-over', body.handoff_id, 'handoff_id');
      if (result === 'expired') {
        throw new ConflictError(
          'Acknowledged too late: the attempt already failed (no answer in time) and the delivery will be retried.',
          'handoff_expired',
          'handoff_id',
        );
      }
      return { object: 'listener_ack' as const, handoff_id: body.handoff_id, result };
    },
  });

  r.add({
    method: 'post',
    path: '/listeners/:id/disconnect',
    operationId: 'disconnectListener',
    summary: 'Mark the listener not connected (wth listen calls it when it exits)',
    tags,
    auth: 'api_key',
    params: ListenerIdParams,
    body: ListenerSessionBody,
    response: ListenerDisconnectSchema,
    errors: [404],
    handler: async ({ auth, params, body, deps }) => {
      const listener = await getListener(deps.db, scopeOf(auth), params.id);
      await disconnectListener(deps.db, listener.id, { sessionId: body.session_id });
      return { object: 'listener' as const, id: listener.id, connected: false as const };
    },
  });

  r.add({
    method: 'post',
    path: '/listeners/:id/wake',
    operationId: 'wakeListener',
    summary: "Attempt the listener's pending deliveries now instead of after their backoff",
    description: '`wth listen` calls it when its local server answers again after being down.',
    tags,
    auth: 'api_key',
    params: ListenerIdParams,
    response: ListenerWakeSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => {
      const listener = await getListener(deps.db, scopeOf(auth), params.id);
      return {
        object: 'listener_wake' as const,
        id: listener.id,
        count: await wakeListenerDeliveries(deps, listener.id),
      };
    },
  });
}

/** At most `maxBytes` of UTF-8, like the previews the worker keeps. */
function truncateUtf8(s: string, maxBytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  return buf.length <= maxBytes ? s : buf.subarray(0, maxBytes).toString('utf8');
}
