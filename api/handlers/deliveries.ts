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
import { getEvent } from '../../domain/events/event-service';
import {
  presentDashboardDelivery,
  presentDelivery,
  presentDeliveryList,
  presentRecovery,
} from '../presenters/deliveries';
import { toDeliveryFilter, type DeliveryListQuery, type RecoverBody } from '../schemas/deliveries';
import { toPage } from '../schemas/list';

export const list = async (deps: AppDeps, scope: DeliveryScope, query: z.infer<typeof DeliveryListQuery>) =>
  presentDeliveryList(await listDeliveries(deps.db, scope, { ...toDeliveryFilter(query), ...toPage(query) }));

export async function get(deps: AppDeps, scope: DeliveryScope, id: string) {
  const { delivery, attempts } = await getDelivery(deps.db, scope, id);
  return presentDelivery(delivery, attempts);
}

/** The dashboard's detail: every attempt with the headers it sent, and the event body. */
export async function getWithEvent(deps: AppDeps, scope: DeliveryScope, id: string) {
  const { delivery, attempts } = await getDelivery(deps.db, scope, id);
  return presentDashboardDelivery(delivery, attempts, await getEvent(deps.db, scope, delivery.event_id));
}

export const retry = async (deps: AppDeps, scope: DeliveryScope, id: string) =>
  presentDelivery(await retryDelivery(deps, scope, id));

export async function recover(
  deps: AppDeps,
  scope: DeliveryScope,
  endpointId: string,
  body: z.infer<typeof RecoverBody>,
  setStatus: (status: number) => void,
) {
  const count = await recoverEndpoint(deps, scope, endpointId, body.since, { dryRun: body.dry_run });
  if (body.dry_run) setStatus(200);
  return presentRecovery(endpointId, body.since, body.dry_run, count);
}
