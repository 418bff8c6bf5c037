// Handler bodies shared by the v1 and dashboard delivery log routes: the routes differ in auth,
// paths and who the scope is; what they do with it is written once here.
import type { z } from '../openapi/zod';
import type { AppDeps } from '../deps';
import {
  getDelivery,
  listDeliveries,
  recoverEndpoint,
  retryDelivery,
  type DeliveryScope,
} from '../../domain/webhooks/delivery-service';
import { presentDelivery, presentDeliveryList } from '../presenters/deliveries';
import type { DeliveryListQuery, RecoverBody } from '../schemas/deliveries';

export const list = async (deps: AppDeps, scope: DeliveryScope, query: z.infer<typeof DeliveryListQuery>) =>
  presentDeliveryList(
    await listDeliveries(deps.db, scope, {
      endpointId: query.endpoint_id,
      eventId: query.event_id,
      status: query.status,
      createdGte: query['created[gte]'],
      createdLte: query['created[lte]'],
      limit: query.limit,
      startingAfter: query.starting_after,
    }),
  );

export async function get(deps: AppDeps, scope: DeliveryScope, id: string) {
  const { delivery, attempts } = await getDelivery(deps.db, scope, id);
  return presentDelivery(delivery, attempts);
}

export const retry = async (deps: AppDeps, scope: DeliveryScope, id: string) =>
  presentDelivery(await retryDelivery(deps, scope, id));

export const recover = async (
  deps: AppDeps,
  scope: DeliveryScope,
  endpointId: string,
  body: z.infer<typeof RecoverBody>,
) => ({
  object: 'recovery' as const,
  endpoint_id: endpointId,
  since: body.since.toISOString(),
  count: await recoverEndpoint(deps, scope, endpointId, body.since),
});
