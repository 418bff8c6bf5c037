import type { ApiRouter } from '../../route';
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
  DashboardDeliveryListQuery,
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
    handler: async ({ auth, params, query, body, deps, setStatus }) => {
      const scope = { dealerId: auth.dealerId, livemode: query.livemode };
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
    operationId: 'dashboardGetRecovery',
    summary: 'A recovery: how many deliveries it re-sends and how far it got',
    tags: ['Dashboard'],
    auth: 'dashboard',
    params: RecoveryIdParams,
    query: LivemodeQuery,
    response: RecoverySchema,
    errors: [403, 404],
    handler: async ({ auth, params, query, deps }) =>
      presentRecovery(await getRecovery(deps.db, { dealerId: auth.dealerId, livemode: query.livemode }, params.id)),
  });
}
