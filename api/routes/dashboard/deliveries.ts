import type { ApiRouter } from '../../route';
import { getDelivery, listDeliveries, recoverEndpoint, retryDelivery } from '../../../domain/webhooks/delivery-service';
import { presentDelivery, presentDeliveryList } from '../../presenters/deliveries';
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
    handler: async ({ auth, query, deps }) => {
      const page = await listDeliveries(
        deps.db,
        { dealerId: auth.dealerId, livemode: query.livemode },
        {
          endpointId: query.endpoint_id,
          eventId: query.event_id,
          status: query.status,
          createdGte: query['created[gte]'],
          createdLte: query['created[lte]'],
          limit: query.limit,
          startingAfter: query.starting_after,
        },
      );
      return presentDeliveryList(page);
    },
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
    handler: async ({ auth, params, query, deps }) => {
      const { delivery, attempts } = await getDelivery(
        deps.db,
        { dealerId: auth.dealerId, livemode: query.livemode },
        params.id,
      );
      return presentDelivery(delivery, attempts);
    },
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
      presentDelivery(await retryDelivery(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id)),
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
    handler: async ({ auth, params, query, body, deps }) => ({
      object: 'recovery' as const,
      endpoint_id: params.id,
      since: body.since.toISOString(),
      count: await recoverEndpoint(deps, { dealerId: auth.dealerId, livemode: query.livemode }, params.id, body.since),
    }),
  });
}
