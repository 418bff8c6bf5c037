import { apiActor } from '../../../domain/platform/actor';
import { cancelOrder, findOrder, listOrders, reportOrder } from '../../../domain/commerce/orders';
import { presentPage } from '../../presenters/list';
import { presentOrder } from '../../presenters/orders';
import type { ApiRouter } from '../../route';
import { IdParamsSchema, toPage } from '../../schemas/list';
import { ApiError } from '../../errors';
import {
  OrderConflictSchema,
  OrderCreateSchema,
  OrderListQuerySchema,
  OrderListSchema,
  OrderSchema,
} from '../../schemas/orders';

export function orderRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/orders',
    operationId: 'createOrder',
    summary: 'Report an order (idempotent on external_id)',
    description:
      'A new order answers 201 and fires `order.received` (not delivered back to the reporting ' +
      'integration). An identical repeat of an `external_id` answers 200 with the stored order and ' +
      'changes nothing. The same `external_id` with different data (amount, currency, buyer, line ' +
      'items or ordered_at) is a 409 `order_external_id_conflict` carrying the stored order in ' +
      '`error.order`; nothing changes. A line item whose `sku` is the reference of a published, in-stock listing sells ' +
      'that listing (`listing.sold`).',
    tags: ['Orders'],
    auth: 'api_key',
    body: OrderCreateSchema,
    status: 201,
    responseDescription: 'Created.',
    alsoStatus: { 200: 'This exact order was already reported; the stored order is returned unchanged.' },
    response: OrderSchema,
    errorSchemas: { 409: OrderConflictSchema },
    handler: async ({ auth, body, deps, setStatus }) => {
      const { row, outcome } = await reportOrder(deps, apiActor(auth), body);
      if (outcome === 'conflict') {
        // An HTTP-layer error: it carries the presented order, which the domain knows nothing of.
        throw new ApiError(
          409,
          'conflict_error',
          'order_external_id_conflict',
          `An order with external_id '${body.external_id}' was already reported with different data; ` +
            'it is unchanged (see error.order). Report a different order under a new external_id.',
          'external_id',
          {},
          { order: presentOrder(row) },
        );
      }
      if (outcome === 'repeat') setStatus(200);
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
