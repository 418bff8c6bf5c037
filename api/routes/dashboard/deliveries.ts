import type { ApiRouter } from '../../route';
import * as deliveries from '../../handlers/deliveries';
import {
  DashboardDeliveryListQuery,
  DashboardDeliverySchema,
  DeliveryIdParams,
  DeliveryListSchema,
  DeliverySchema,
  EndpointIdParams,
  LivemodeQuery,
  RecoverBody,
  RecoveryIdParams,
  RecoverySchema,
} from '../../schemas/deliveries';

/** The Delivery Log tab: every endpoint of the dealer, one mode at a time (`?livemode=`). */
export function dashboardDeliveryRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/deliveries',
    operationId: 'dashboardListDeliveries',
    summary: 'The delivery log, newest first',
    description:
      'Filter by `endpoint_id`, `event_id`, `status` and `event_type` (repeat either for several), and creation ' +
      'time with `created[gte]` / `created[lte]` (ISO 8601). Cursor pagination with `limit` and `starting_after`.',
    tags: ['Dashboard'],
    auth: 'dashboard',
    query: DashboardDeliveryListQuery,
    response: DeliveryListSchema,
    handler: async ({ auth, query, deps }) =>
      deliveries.list(
        deps,
        { dealerId: auth.dealerId, livemode: query.livemode, integrationId: query.integration_id },
        query,
      ),
  });

  r.add({
    method: 'get',
    path: '/deliveries/:id',
    operationId: 'dashboardGetDelivery',
    summary: 'One delivery with every attempt (request headers masked) and its event',
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: DeliveryIdParams,
    query: LivemodeQuery,
    response: DashboardDeliverySchema,
    errors: [404],
    handler: async ({ auth, params, query, deps }) =>
      deliveries.getWithEvent(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id),
  });

  r.add({
    method: 'post',
    path: '/deliveries/:id/retry',
    operationId: 'dashboardRetryDelivery',
    summary: 'Send a failed or pending delivery again now',
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: DeliveryIdParams,
    query: LivemodeQuery,
    status: 202,
    response: DeliverySchema,
    errors: [403, 404, 422],
    handler: async ({ auth, params, query, deps }) =>
      deliveries.retry(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id),
  });

  r.add({
    method: 'post',
    path: '/webhook_endpoints/:id/recover',
    operationId: 'dashboardRecoverWebhookEndpoint',
    summary: 'Send every failed delivery of an endpoint since a time again',
    description:
      'Answers at once with how many failed deliveries it will re-send; a background job re-sends them, a few at a time. Watch it with `GET /recoveries/{id}`. `dry_run: true` only counts (200, nothing started).',
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: EndpointIdParams,
    query: LivemodeQuery,
    body: RecoverBody,
    status: 202,
    responseDescription: 'Accepted: the re-sends run in the background.',
    alsoStatus: { 200: 'A dry run: what would be re-sent.' },
    response: RecoverySchema,
    errors: [403, 404, 422],
    handler: async ({ auth, params, query, body, deps, setStatus }) =>
      deliveries.recover(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id, body, setStatus),
  });

  r.add({
    method: 'get',
    path: '/recoveries/:id',
    operationId: 'dashboardGetRecovery',
    summary: 'A recovery: how many deliveries it re-sends and how far it got',
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: RecoveryIdParams,
    query: LivemodeQuery,
    response: RecoverySchema,
    errors: [403, 404],
    handler: async ({ auth, params, query, deps }) =>
      deliveries.getRecovery(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id),
  });
}
