// The delivery log as dealers and operators see it: list, read, re-send one, recover many.
import type { Client } from '@temporalio/client';
import { NotFoundError, UnprocessableError } from '../errors';
import { paginate, type Page } from '../platform/pagination';
import type { Config } from '../../lib/config';
import type { Db, Queryable } from '../../lib/db';
import { deliveryPolicy } from '../../lib/delivery-policy';
import { getEvent } from '../events/event-service';
import {
  endpointReceives,
  insertDeliveries,
  listAttempts,
  type AttemptRow,
  type DeliveryRow,
  type DeliveryStatus,
} from './delivery-store';
import type { EndpointRow } from './endpoint-store';
import { prefixedId } from '../../lib/ids';
import { resendDelivery, startRecoveryWorkflow } from '../../lib/temporal/gateway';

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
  limit: number;
  startingAfter?: string;
}

/** Newest first, by `seq` (stable under concurrent inserts); `starting_after` continues a page. */
export async function listDeliveries(
  db: Queryable,
  scope: DeliveryScope,
  f: DeliveryFilter,
): Promise<Page<DeliveryRow>> {
  return paginate<DeliveryRow>(() => scoped(db, scope), f, {
    direction: 'desc',
    alias: 'd',
    // Delivery ids are text: any string is a safe lookup.
    validId: () => true,
    filter: (q) => {
      if (f.endpointId) q.where('d.endpoint_id', f.endpointId);
      if (f.eventId) q.where('d.event_id', f.eventId);
      if (f.statuses?.length) q.whereIn('d.status', f.statuses);
      if (f.eventTypes?.length) q.whereIn('d.event_type', f.eventTypes);
      if (f.createdGte) q.where('d.created_at', '>=', f.createdGte);
      if (f.createdLte) q.where('d.created_at', '<=', f.createdLte);
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

/** Sends the delivery again now (see resendDelivery), and shows it as pending at once. */
async function resend(deps: DeliveryLogDeps, d: DeliveryRow): Promise<void> {
  await resendDelivery(
    deps.temporal,
    deps.config.TEMPORAL_TASK_QUEUE,
    {
      deliveryId: d.id,
      dealerId: d.dealer_id,
      eventId: d.event_id,
      eventType: d.event_type,
      endpointId: d.endpoint_id,
      livemode: d.livemode,
    },
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
  );
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

// A recovery re-sends in batches of this many deliveries, this many at once.
export const RECOVER_BATCH_SIZE = 100;
const RECOVER_CONCURRENCY = 10;

export interface RecoveryRow {
  id: string;
  dealer_id: string;
  livemode: boolean;
  endpoint_id: string;
  since: Date;
  upto_seq: string;
  count: number;
  resent: number;
  status: 'running' | 'completed';
  created_at: Date;
  completed_at: Date | null;
}

/** What "re-send every failed delivery of the endpoint created at or after `since`" covers. */
function failedSince(db: Queryable, endpointId: string, since: Date) {
  return db<DeliveryRow>('deliveries')
    .where({ endpoint_id: endpointId, status: 'failed' })
    .where('created_at', '>=', since);
}

/** How many deliveries a recovery would re-send now (the dashboard shows it before confirming). */
export async function countRecoverable(
  deps: Pick<DeliveryLogDeps, 'db'>,
  scope: DeliveryScope,
  endpointId: string,
  since: Date,
): Promise<number> {
  const endpoint = await scopedEndpoint(deps.db, scope, endpointId);
  const [row] = await failedSince(deps.db, endpoint.id, since).count({ n: '*' });
  return Number(row?.n ?? 0);
}

/**
 * Starts a background recovery (workflow `recovery:<id>`) of every failed delivery of the
 * endpoint created at or after `since`, and answers at once with how many it will re-send.
 * The set is fixed now: deliveries that fail later are not part of it.
 */
export async function startRecovery(
  deps: DeliveryLogDeps,
  scope: DeliveryScope,
  endpointId: string,
  since: Date,
): Promise<RecoveryRow> {
  const endpoint = await scopedEndpoint(deps.db, scope, endpointId);
  if (endpoint.status !== 'enabled') {
    throw new UnprocessableError('The webhook endpoint is disabled; enable it first.', 'endpoint_disabled');
  }
  const agg = (await failedSince(deps.db, endpoint.id, since)
    .select(deps.db.raw('count(*)::int as n'), deps.db.raw('coalesce(max(seq), 0) as upto'))
    .first()) as unknown as { n: number; upto: string } | undefined;
  const [recovery] = await deps
    .db<RecoveryRow>('delivery_recoveries')
    .insert({
      id: prefixedId('rcv'),
      dealer_id: scope.dealerId,
      livemode: scope.livemode,
      endpoint_id: endpoint.id,
      since,
      upto_seq: String(agg?.upto ?? 0),
      count: Number(agg?.n ?? 0),
      ...(Number(agg?.n ?? 0) === 0 ? { status: 'completed', completed_at: deps.db.fn.now(3) } : {}),
    })
    .returning('*');
  if (!recovery) throw new Error('recovery insert returned no row');
  if (recovery.status === 'running') {
    await startRecoveryWorkflow(
      deps.temporal,
      deps.config.TEMPORAL_TASK_QUEUE,
      recovery.id,
      `re-send ${recovery.count} failed deliveries of ${endpoint.id} since ${since.toISOString()}`,
    );
  }
  return recovery;
}

export async function getRecovery(db: Queryable, scope: DeliveryScope, id: string): Promise<RecoveryRow> {
  const q = db<RecoveryRow>('delivery_recoveries as r')
    .where('r.id', id)
    .where('r.dealer_id', scope.dealerId)
    .where('r.livemode', scope.livemode)
    .select('r.*');
  if (scope.integrationId) {
    q.join('webhook_endpoints as e', 'e.id', 'r.endpoint_id').where('e.integration_id', scope.integrationId);
  }
  const row = await q.first();
  if (!row) throw new NotFoundError('recovery', id, 'id');
  return row;
}

/**
 * One batch of a recovery (an activity): re-sends the next failed deliveries after `afterSeq`,
 * a few at once. Re-running it is harmless: a delivery already re-sent is pending, not failed.
 */
export async function recoverBatch(
  deps: DeliveryLogDeps,
  input: { recoveryId: string; afterSeq: string },
): Promise<{ lastSeq: string; done: boolean }> {
  const recovery = await deps.db<RecoveryRow>('delivery_recoveries').where({ id: input.recoveryId }).first();
  if (!recovery) return { lastSeq: input.afterSeq, done: true };
  const rows = await failedSince(deps.db, recovery.endpoint_id, recovery.since)
    .where('seq', '>', input.afterSeq)
    .where('seq', '<=', recovery.upto_seq)
    .orderBy('seq')
    .limit(RECOVER_BATCH_SIZE);
  for (let i = 0; i < rows.length; i += RECOVER_CONCURRENCY) {
    await Promise.all(rows.slice(i, i + RECOVER_CONCURRENCY).map((d) => resend(deps, d)));
  }
  const last = rows[rows.length - 1];
  const done = rows.length < RECOVER_BATCH_SIZE || !last;
  await deps
    .db('delivery_recoveries')
    .where({ id: recovery.id })
    .update({
      resent: deps.db.raw('least(count, resent + ?)', [rows.length]),
      ...(done ? { status: 'completed', completed_at: deps.db.fn.now(3) } : {}),
    });
  return { lastSeq: last ? String(last.seq) : input.afterSeq, done };
}

/**
 * Sends an event again: to one endpoint (even one it never went to, e.g. a listener started
 * since), or to every enabled endpoint of the integration that has it in its log or would
 * receive it now. Succeeded deliveries are sent again too: a re-send is an explicit ask.
 */
export async function resendEvent(
  deps: DeliveryLogDeps,
  scope: Required<DeliveryScope>,
  eventId: string,
  endpointId?: string,
): Promise<DeliveryRow[]> {
  const event = await getEvent(deps.db, scope, eventId);
  let targets: EndpointRow[];
  if (endpointId) {
    const endpoint = await scopedEndpoint(deps.db, scope, endpointId);
    if (endpoint.status !== 'enabled') {
      throw new UnprocessableError('The webhook endpoint is disabled; enable it first.', 'endpoint_disabled');
    }
    targets = [endpoint];
  } else {
    const logged = deps.db('deliveries').where({ event_id: event.id }).select('endpoint_id');
    const endpoints = await deps
      .db<EndpointRow>('webhook_endpoints')
      .where({ integration_id: scope.integrationId, livemode: scope.livemode, status: 'enabled' })
      .orderBy('seq');
    const inLog = new Set((await logged).map((r: { endpoint_id: string }) => r.endpoint_id));
    targets = endpoints.filter((e) => inLog.has(e.id) || endpointReceives(event, e));
    if (targets.length === 0) {
      throw new UnprocessableError(
        'No enabled endpoint of this integration receives this event; name one with endpoint_id.',
        'no_receiving_endpoint',
      );
    }
  }
  await insertDeliveries(deps.db, event, targets);
  const rows = await deps
    .db<DeliveryRow>('deliveries')
    .where({ event_id: event.id })
    .whereIn(
      'endpoint_id',
      targets.map((e) => e.id),
    )
    .orderBy('seq');
  await Promise.all(rows.map((d) => resend(deps, d)));
  return deps
    .db<DeliveryRow>('deliveries')
    .whereIn(
      'id',
      rows.map((d) => d.id),
    )
    .orderBy('seq');
}
