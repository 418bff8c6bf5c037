import type { ApiRouter } from '../../route';
import * as deliveries from '../../handlers/deliveries';
import {
  DashboardDeliveryListQuery,
  DeliveryIdParams,
  DeliveryListSchema,
  DeliverySchema,
  EndpointIdParams,
  LivemodeQuery,
  RecoverBody,
  RecoverySchema,
} from '../../schemas/deliveries';

/** The Delivery Log tab: every endpoint of the dealer, one mode at a time (`?livemode=`). */
export function dashboardDeliveryRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/deliveries',
    operationId: 'dashboardListDeliveries',
    summary: 'The delivery log, newest first',
    tags: ['Dashboard'],
    auth: 'dashboard',
    query: DashboardDeliveryListQuery,
    response: DeliveryListSchema,
    handler: async ({ auth, query, deps }) =>
      deliveries.list(deps, { dealerId: auth.dealerId, livemode: query.livemode }, query),
  });

  r.add({
    method: 'get',
    path: '/deliveries/:id',
    operationId: 'dashboardGetDelivery',
    summary: 'One delivery with every attempt',
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: DeliveryIdParams,
    query: LivemodeQuery,
    response: DeliverySchema,
    errors: [404],
    handler: async ({ auth, params, query, deps }) =>
      deliveries.get(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id),
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
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: EndpointIdParams,
    query: LivemodeQuery,
    body: RecoverBody,
    status: 202,
    response: RecoverySchema,
    errors: [403, 404, 422],
    handler: async ({ auth, params, query, body, deps }) =>
      deliveries.recover(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id, body),
  });
}
