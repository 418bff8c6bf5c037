// The delivery log as dealers and operators see it: list, read, re-send one, recover many.
import type { Client } from '@temporalio/client';
import { NotFoundError, UnprocessableError } from '../api/errors';
import type { Config } from '../lib/config';
import type { Db, Queryable } from '../lib/db';
import { deliveryPolicy } from '../lib/delivery-policy';
import { SA } from '../lib/search-attributes';
import { deliveryWorkflowId, RETRY_NOW_SIGNAL } from '../lib/workflow-names';
import { listAttempts, type AttemptRow, type DeliveryRow, type DeliveryStatus } from './deliveries';
import type { EndpointRow } from './webhook-endpoints';
import { paginate, type Page, type PageRequest } from './pagination';

/** Whose deliveries: a dealer in one mode; an API key also only its own integration's endpoints. */
export interface DeliveryScope {
  dealerId: string;
  livemode: boolean;
  integrationId?: string;
}

export interface DeliveryLogDeps {
  db: Db;
  temporal: Client;
  config: Config;
}

function scoped(db: Queryable, scope: DeliveryScope) {
  const q = db<DeliveryRow>('deliveries as d')
    .where('d.dealer_id', scope.dealerId)
    .where('d.livemode', scope.livemode)
    .select('d.*');
  if (scope.integrationId) {
    q.join('webhook_endpoints as e', 'e.id', 'd.endpoint_id').where('e.integration_id', scope.integrationId);
  }
  return q;
}

export interface DeliveryFilter {
  endpointId?: string;
  eventId?: string;
  /** Any of these statuses (empty or absent: all). */
  statuses?: DeliveryStatus[];
  /** Any of these event types (empty or absent: all). */
  eventTypes?: string[];
  createdGte?: Date;
  createdLte?: Date;
}

const isDeliveryId = (id: string) => /^dlv_[0-9A-Za-z]{1,64}$/.test(id);

/** Newest first, by `seq` (stable under concurrent inserts); `starting_after` continues a page. */
export async function listDeliveries(
  db: Queryable,
  scope: DeliveryScope,
  f: DeliveryFilter,
  page: PageRequest,
): Promise<Page<DeliveryRow>> {
  return paginate<DeliveryRow>(db, 'deliveries', { dealerId: scope.dealerId, livemode: scope.livemode }, page, {
    direction: 'desc',
    validId: isDeliveryId,
    filter: (q) => {
      if (scope.integrationId) {
        q.whereIn('endpoint_id', db('webhook_endpoints').where({ integration_id: scope.integrationId }).select('id'));
      }
      if (f.endpointId) q.where('endpoint_id', f.endpointId);
      if (f.eventId) q.where('event_id', f.eventId);
      if (f.statuses?.length) q.whereIn('status', f.statuses);
      if (f.eventTypes?.length) q.whereIn('event_type', f.eventTypes);
      if (f.createdGte) q.where('created_at', '>=', f.createdGte);
      if (f.createdLte) q.where('created_at', '<=', f.createdLte);
    },
  });
}

export async function getDelivery(
  db: Queryable,
  scope: DeliveryScope,
  id: string,
): Promise<{ delivery: DeliveryRow; attempts: AttemptRow[] }> {
  const delivery = await scoped(db, scope).where('d.id', id).first();
  if (!delivery) throw new NotFoundError('delivery', id, 'id');
  return { delivery, attempts: await listAttempts(db, id) };
}

async function scopedEndpoint(db: Queryable, scope: DeliveryScope, id: string): Promise<EndpointRow> {
  const q = db<EndpointRow>('webhook_endpoints').where({ id, dealer_id: scope.dealerId, livemode: scope.livemode });
  if (scope.integrationId) q.where({ integration_id: scope.integrationId });
  const endpoint = await q.first();
  if (!endpoint) throw new NotFoundError('webhook endpoint', id, 'id');
  return endpoint;
}

/**
 * Sends the delivery again now. A delivery still waiting between attempts is woken by a
 * signal; a finished one gets a new run of the same workflow id with one manual attempt.
 * signalWithStart does whichever applies atomically, so two clicks never run two workflows.
 */
async function resend(deps: DeliveryLogDeps, d: DeliveryRow): Promise<void> {
  await deps.temporal.workflow.signalWithStart('deliveryWorkflow', {
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    workflowId: deliveryWorkflowId(d.id),
    signal: RETRY_NOW_SIGNAL,
    signalArgs: [],
    args: [
      {
        deliveryId: d.id,
        firstAttemptNumber: d.attempt_count + 1,
        trigger: 'manual',
        // Only used when no run is going: a finished delivery gets one more attempt; a pending
        // one whose run is gone (or not started yet) resumes with its full schedule.
        policy:
          d.status === 'pending'
            ? deliveryPolicy(deps.config, d.livemode)
            : { ...deliveryPolicy(deps.config, d.livemode), retryScheduleMs: [] },
      },
    ],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: SA.dealerId, value: d.dealer_id },
      { key: SA.eventId, value: d.event_id },
      { key: SA.eventType, value: d.event_type },
      { key: SA.endpointId, value: d.endpoint_id },
      { key: SA.livemode, value: d.livemode },
      { key: SA.deliveryStatus, value: 'pending' },
    ],
    memo: { deliveryId: d.id, eventId: d.event_id, eventType: d.event_type, endpointId: d.endpoint_id },
    staticSummary: `manual re-send of ${d.event_type} ${d.event_id} → ${d.endpoint_id}`,
  });
  // Shows the re-send as pending at once, unless its attempt already finished.
  await deps
    .db('deliveries')
    .where({ id: d.id, attempt_count: d.attempt_count })
    .whereNot({ status: 'pending' })
    .update({ status: 'pending', next_attempt_at: deps.db.fn.now(3), updated_at: deps.db.fn.now(3) });
}

export async function retryDelivery(deps: DeliveryLogDeps, scope: DeliveryScope, id: string): Promise<DeliveryRow> {
  const { delivery } = await getDelivery(deps.db, scope, id);
  if (delivery.status === 'succeeded') {
    throw new UnprocessableError('This delivery already succeeded.', 'delivery_already_succeeded');
  }
  const endpoint = await scopedEndpoint(deps.db, scope, delivery.endpoint_id);
  if (endpoint.status !== 'enabled') {
    throw new UnprocessableError('The webhook endpoint is disabled; enable it first.', 'endpoint_disabled');
  }
  await resend(deps, delivery);
  return (await getDelivery(deps.db, scope, id)).delivery;
}

const RECOVER_CONCURRENCY = 20;

/** What "recover failed since…" re-sends: the endpoint's failed deliveries created at or after `since`. */
async function recoverable(deps: DeliveryLogDeps, scope: DeliveryScope, endpointId: string, since: Date) {
  const endpoint = await scopedEndpoint(deps.db, scope, endpointId);
  if (endpoint.status !== 'enabled') {
    throw new UnprocessableError('The webhook endpoint is disabled; enable it first.', 'endpoint_disabled');
  }
  // Wrapped: an async function returning a knex builder would run it (builders are thenable).
  const query = () =>
    deps
      .db<DeliveryRow>('deliveries')
      .where({ endpoint_id: endpoint.id, status: 'failed' })
      .where('created_at', '>=', since);
  return { query };
}

/**
 * Re-sends every failed delivery of the endpoint created at or after `since` and answers how
 * many; with `dryRun` only counts them, so the dashboard can say how many before the dealer confirms.
 */
export async function recoverEndpoint(
  deps: DeliveryLogDeps,
  scope: DeliveryScope,
  endpointId: string,
  since: Date,
  opts: { dryRun?: boolean } = {},
): Promise<number> {
  const { query } = await recoverable(deps, scope, endpointId, since);
  if (opts.dryRun) {
    const [row] = await query().count<{ count: string }[]>('* as count');
    return Number(row?.count ?? 0);
  }
  const failed = await query().orderBy('seq');
  for (let i = 0; i < failed.length; i += RECOVER_CONCURRENCY) {
    await Promise.all(failed.slice(i, i + RECOVER_CONCURRENCY).map((d) => resend(deps, d)));
  }
  return failed.length;
}
