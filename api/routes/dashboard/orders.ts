import { dashboardActor } from '../../../domain/platform/actor';
import { fulfilOrder, listOrders } from '../../../domain/commerce/orders';
import { z } from '../../openapi/zod';
import { presentPage } from '../../presenters/list';
import { presentOrder } from '../../presenters/orders';
import type { ApiRouter } from '../../route';
import { IdParamsSchema, LivemodeQueryShape, PageQueryShape, toPage } from '../../schemas/list';
import { OrderListSchema, OrderSchema } from '../../schemas/orders';

const ListQuery = z
  .object({
    ...PageQueryShape,
    ...LivemodeQueryShape,
    status: z.enum(['pending', 'fulfilled', 'cancelled']).optional(),
  })
  .strict();

export function dashboardOrderRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/orders',
    operationId: 'dashboardListOrders',
    summary: 'Orders in one mode, from every channel',
    tags: ['Dashboard: orders'],
    auth: 'dashboard',
    query: ListQuery,
    response: OrderListSchema,
    handler: async ({ auth, query, deps }) =>
      presentPage(
        await listOrders(deps.db, { dealerId: auth.dealerId, livemode: query.livemode }, toPage(query), {
          status: query.status,
        }),
        presentOrder,
      ),
  });

  r.add({
    method: 'post',
    path: '/orders/:id/fulfil',
    operationId: 'dashboardFulfilOrder',
    summary: 'Mark a matched, pending order fulfilled (`order.fulfilled`)',
    tags: ['Dashboard: orders'],
    auth: 'dashboard',
    params: IdParamsSchema,
    response: OrderSchema,
    errors: [404, 422],
    handler: async ({ auth, params, deps }) => {
      const actor = await dashboardActor(deps.db, auth.dealerId, false);
      return presentOrder(await fulfilOrder(deps, actor, { dealerId: auth.dealerId }, params.id));
    },
  });
}
