// Handler bodies shared by the v1 and dashboard delivery log routes: the routes differ in auth,
// paths and who the scope is; what they do with it is written once here.
import type { z } from '../openapi/zod';
import type { AppDeps } from '../deps';
import {
  countRecoverable,
  getDelivery,
  getRecovery as findRecovery,
  listDeliveries,
  retryDelivery,
  startRecovery,
  type DeliveryScope,
} from '../../domain/webhooks/delivery-service';
import { getEvent } from '../../domain/events/event-service';
import {
  presentDashboardDelivery,
  presentDelivery,
  presentDeliveryList,
  presentRecovery,
  presentRecoveryPreview,
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

/** A dry run only counts (200); otherwise a background job re-sends them and this answers at once. */
export async function recover(
  deps: AppDeps,
  scope: DeliveryScope,
  endpointId: string,
  body: z.infer<typeof RecoverBody>,
  setStatus: (status: number) => void,
) {
  if (body.dry_run) {
    setStatus(200);
    return presentRecoveryPreview(endpointId, body.since, await countRecoverable(deps, scope, endpointId, body.since));
  }
  return presentRecovery(await startRecovery(deps, scope, endpointId, body.since));
}

export const getRecovery = async (deps: AppDeps, scope: DeliveryScope, id: string) =>
  presentRecovery(await findRecovery(deps.db, scope, id));
