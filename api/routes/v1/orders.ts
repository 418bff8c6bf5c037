import { apiActor } from '../../../domain/platform/actor';
import { cancelOrder, findOrder, listOrders, reportOrder } from '../../../domain/commerce/orders';
import { presentPage } from '../../presenters/list';
import { presentOrder } from '../../presenters/orders';
import type { ApiRouter } from '../../route';
import { IdParamsSchema, toPage } from '../../schemas/list';
import { OrderCreateSchema, OrderListQuerySchema, OrderListSchema, OrderSchema } from '../../schemas/orders';

export function orderRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/orders',
    operationId: 'createOrder',
    summary: 'Report an order (idempotent on external_id)',
    description:
      'A new order answers 201 and fires `order.received` (not delivered back to the reporting ' +
      'integration). A repeat of an `external_id` answers 200 with the stored order and changes ' +
      'nothing. A line item whose `sku` is the reference of a published, in-stock listing sells ' +
      'that listing (`listing.sold`).',
    tags: ['Orders'],
    auth: 'api_key',
    body: OrderCreateSchema,
    status: 201,
    responseDescription: 'Created.',
    alsoStatus: { 200: 'An order with this external_id was already reported; it is returned unchanged.' },
    response: OrderSchema,
    handler: async ({ auth, body, deps, setStatus }) => {
      const { row, created } = await reportOrder(deps, apiActor(auth), body);
      if (!created) setStatus(200);
      return presentOrder(row);
    },
  });

  r.add({
    method: 'get',
    path: '/orders',
    operationId: 'listOrders',
    summary: 'Orders of this dealer and mode, oldest first',
    tags: ['Orders'],
    auth: 'api_key',
    query: OrderListQuerySchema,
    response: OrderListSchema,
    handler: async ({ auth, query, deps }) =>
      presentPage(await listOrders(deps.db, auth, toPage(query), { status: query.status }), presentOrder),
  });

  r.add({
    method: 'get',
    path: '/orders/:id',
    operationId: 'getOrder',
    summary: 'One order',
    tags: ['Orders'],
    auth: 'api_key',
    params: IdParamsSchema,
    response: OrderSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => presentOrder(await findOrder(deps.db, auth, params.id)),
  });

  r.add({
    method: 'post',
    path: '/orders/:id/cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an order; a listing it sold returns to stock',
    tags: ['Orders'],
    auth: 'api_key',
    params: IdParamsSchema,
    response: OrderSchema,
    errors: [404, 422],
    handler: async ({ auth, params, deps }) => presentOrder(await cancelOrder(deps, apiActor(auth), auth, params.id)),
  });
}
