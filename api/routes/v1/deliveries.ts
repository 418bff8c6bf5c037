import type { ApiRouter } from '../../route';
import type { ApiKeyAuth } from '../../auth';
import type { DeliveryScope } from '../../../domain/webhooks/delivery-service';
import {
  getDelivery,
  listDeliveries,
  countRecoverable,
  getRecovery,
  retryDelivery,
  startRecovery,
} from '../../../domain/webhooks/delivery-service';
import {
  presentDelivery,
  presentDeliveryList,
  presentRecovery,
  presentRecoveryPreview,
} from '../../presenters/deliveries';
import {
  DeliveryIdParams,
  DeliveryListQuery,
  DeliveryListSchema,
  DeliverySchema,
  EndpointIdParams,
  RecoverBody,
  RecoveryIdParams,
  RecoverySchema,
} from '../../schemas/deliveries';

/** A key sees its own integration's endpoints, in its own mode. */
const scopeOf = (auth: ApiKeyAuth): DeliveryScope => ({
  dealerId: auth.dealerId,
  livemode: auth.livemode,
  integrationId: auth.integrationId,
});

export function deliveryRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/deliveries',
    operationId: 'listDeliveries',
    summary: 'The delivery log, newest first',
    description:
      'Filter by `endpoint_id`, `event_id`, `status`, and creation time with `created[gte]` / `created[lte]` (ISO 8601). Cursor pagination with `limit` and `starting_after`.',
    tags: ['Webhook deliveries'],
    auth: 'api_key',
    query: DeliveryListQuery,
    response: DeliveryListSchema,
    handler: async ({ auth, query, deps }) => {
      const page = await listDeliveries(deps.db, scopeOf(auth), {
        endpointId: query.endpoint_id,
        eventId: query.event_id,
        status: query.status,
        createdGte: query['created[gte]'],
        createdLte: query['created[lte]'],
        limit: query.limit,
        startingAfter: query.starting_after,
      });
      return presentDeliveryList(page);
    },
  });

  r.add({
    method: 'get',
    path: '/deliveries/:id',
    operationId: 'getDelivery',
    summary: 'One delivery with every attempt',
    tags: ['Webhook deliveries'],
    auth: 'api_key',
    params: DeliveryIdParams,
    response: DeliverySchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => {
      const { delivery, attempts } = await getDelivery(deps.db, scopeOf(auth), params.id);
      return presentDelivery(delivery, attempts);
    },
  });

  r.add({
    method: 'post',
    path: '/deliveries/:id/retry',
    operationId: 'retryDelivery',
    summary: 'Send a failed or pending delivery again now',
    description:
      'A pending delivery skips the rest of its wait; a failed one gets one more attempt (trigger `manual`).',
    tags: ['Webhook deliveries'],
    auth: 'api_key',
    params: DeliveryIdParams,
    status: 202,
    responseDescription: 'Accepted: the attempt runs in the background.',
    response: DeliverySchema,
    errors: [404, 422],
    handler: async ({ auth, params, deps }) => presentDelivery(await retryDelivery(deps, scopeOf(auth), params.id)),
  });

  r.add({
    method: 'post',
    path: '/webhook_endpoints/:id/recover',
    operationId: 'recoverWebhookEndpoint',
    summary: 'Send every failed delivery of an endpoint since a time again',
    description:
      'Answers at once with how many failed deliveries it will re-send; a background job re-sends them, a few at a time. Watch it with `GET /recoveries/{id}`. `dry_run: true` only counts (200, nothing started).',
    tags: ['Webhook deliveries'],
    auth: 'api_key',
    params: EndpointIdParams,
    body: RecoverBody,
    status: 202,
    responseDescription: 'Accepted: the re-sends run in the background.',
    alsoStatus: { 200: 'A dry run: what would be re-sent.' },
    response: RecoverySchema,
    errors: [404, 422],
    handler: async ({ auth, params, body, deps, setStatus }) => {
      const scope = scopeOf(auth);
      if (body.dry_run) {
        setStatus(200);
        return presentRecoveryPreview(
          params.id,
          body.since,
          await countRecoverable(deps, scope, params.id, body.since),
        );
      }
      return presentRecovery(await startRecovery(deps, scope, params.id, body.since));
    },
  });

  r.add({
    method: 'get',
    path: '/recoveries/:id',
    operationId: 'getRecovery',
    summary: 'A recovery: how many deliveries it re-sends and how far it got',
    tags: ['Webhook deliveries'],
    auth: 'api_key',
    params: RecoveryIdParams,
    response: RecoverySchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => presentRecovery(await getRecovery(deps.db, scopeOf(auth), params.id)),
  });
}
