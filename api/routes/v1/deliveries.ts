import type { ApiRouter } from '../../route';
import type { ApiKeyAuth } from '../../auth';
import type { DeliveryScope } from '../../../domain/webhooks/delivery-service';
import * as deliveries from '../../handlers/deliveries';
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
      'Filter by `endpoint_id`, `event_id`, `status` and `event_type` (repeat either for several), and creation time with `created[gte]` / `created[lte]` (ISO 8601). Cursor pagination with `limit` and `starting_after`.',
    tags: ['Webhook deliveries'],
    auth: 'api_key',
    query: DeliveryListQuery,
    response: DeliveryListSchema,
    handler: async ({ auth, query, deps }) => deliveries.list(deps, scopeOf(auth), query),
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
    handler: async ({ auth, params, deps }) => deliveries.get(deps, scopeOf(auth), params.id),
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
    handler: async ({ auth, params, deps }) => deliveries.retry(deps, scopeOf(auth), params.id),
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
    handler: async ({ auth, params, body, deps, setStatus }) =>
      deliveries.recover(deps, scopeOf(auth), params.id, body, setStatus),
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
    handler: async ({ auth, params, deps }) => deliveries.getRecovery(deps, scopeOf(auth), params.id),
  });
}
