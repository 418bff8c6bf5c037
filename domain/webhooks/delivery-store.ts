// Data access for deliveries (one per event × endpoint) and their attempts (the delivery log).
import type { Queryable } from '../../lib/db';
import { prefixedId } from '../../lib/ids';
import { ECHO_SUPPRESSED_TYPES, TEST_EVENT_TYPE } from '../events/catalog';
import type { EventRow } from '../events/event-store';
import { matchesSubscription, type EndpointRow } from './endpoint-store';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';
/** `operator`: re-sent because an operator reset the delivery's workflow in Temporal UI. */
export type AttemptTrigger = 'automatic' | 'manual' | 'operator';

export interface DeliveryRow {
  id: string;
  seq: string;
  event_id: string;
  endpoint_id: string;
  dealer_id: string;
  livemode: boolean;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  /** Why it ended without an attempt saying so (e.g. its workflow was terminated by hand). */
  status_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AttemptRow {
  id: string;
  delivery_id: string;
  attempt_number: number;
  trigger: AttemptTrigger;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body_preview: string | null;
  signature_header: string;
  /** The workflow run and activity that sent it (null on rows from before it was recorded). */
  activity_key: string | null;
}

/**
 * Which endpoints an event goes to: same dealer and mode, enabled, subscribed. A test event
 * ignores subscriptions and goes only to the pinging integration's endpoints; an echo-suppressed
 * type written through the API does not go back to the integration that wrote it.
 */
export function endpointReceives(event: EventRow, endpoint: EndpointRow): boolean {
  if (endpoint.dealer_id !== event.dealer_id || endpoint.livemode !== event.livemode) return false;
  if (endpoint.status !== 'enabled') return false;
  if (event.type === TEST_EVENT_TYPE) {
    return event.origin_integration_id !== null && endpoint.integration_id === event.origin_integration_id;
  }
  if (
    ECHO_SUPPRESSED_TYPES.has(event.type) &&
    event.origin === 'api' &&
    event.origin_integration_id !== null &&
    endpoint.integration_id === event.origin_integration_id
  ) {
    return false;
  }
  return matchesSubscription(endpoint.enabled_events, event.type);
}

/**
 * Creates the event's deliveries (idempotent: a re-run adds only what is missing) and returns
 * every delivery of the event, oldest first.
 */
export async function planDeliveries(db: Queryable, event: EventRow): Promise<DeliveryRow[]> {
  const endpoints = await db<EndpointRow>('webhook_endpoints')
    .where({ dealer_id: event.dealer_id, livemode: event.livemode, status: 'enabled' })
    .orderBy('seq');
  await insertDeliveries(
    db,
    event,
    endpoints.filter((e) => endpointReceives(event, e)),
  );
  return db<DeliveryRow>('deliveries').where({ event_id: event.id }).orderBy('seq');
}

/** One delivery of the event per endpoint, unless it has one already. */
export async function insertDeliveries(db: Queryable, event: EventRow, endpoints: EndpointRow[]): Promise<void> {
  if (endpoints.length === 0) return;
  await db('deliveries')
    .insert(
      endpoints.map((e) => ({
        id: prefixedId('dlv'),
        event_id: event.id,
        endpoint_id: e.id,
        dealer_id: event.dealer_id,
        livemode: event.livemode,
        event_type: event.type,
      })),
    )
    .onConflict(['event_id', 'endpoint_id'])
    .ignore();
}

export async function findDelivery(db: Queryable, id: string): Promise<DeliveryRow | undefined> {
  return db<DeliveryRow>('deliveries').where({ id }).first();
}

export async function findAttempt(
  db: Queryable,
  deliveryId: string,
  attemptNumber: number,
): Promise<AttemptRow | undefined> {
  return db<AttemptRow>('delivery_attempts').where({ delivery_id: deliveryId, attempt_number: attemptNumber }).first();
}

export async function findAttemptByActivity(db: Queryable, activityKey: string): Promise<AttemptRow | undefined> {
  return db<AttemptRow>('delivery_attempts').where({ activity_key: activityKey }).first();
}

/** The number a re-sent attempt gets when the one it re-runs is already in the log. */
export async function nextAttemptNumber(db: Queryable, deliveryId: string): Promise<number> {
  const row = await db('delivery_attempts').where({ delivery_id: deliveryId }).max('attempt_number as n').first();
  return Number(row?.n ?? 0) + 1;
}

export async function listAttempts(db: Queryable, deliveryId: string): Promise<AttemptRow[]> {
  return db<AttemptRow>('delivery_attempts').where({ delivery_id: deliveryId }).orderBy('attempt_number');
}

export interface DeliveryUpdate {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
}

/** A delivery that stops without an attempt (its endpoint was disabled or lost its secrets). */
export async function stopDelivery(db: Queryable, deliveryId: string): Promise<void> {
  await db('deliveries')
    .where({ id: deliveryId })
    .whereNot({ status: 'succeeded' })
    .update({ status: 'failed', next_attempt_at: null, updated_at: db.fn.now(3) });
}

/** Marks a delivery pending again when someone asks for a manual re-send. */
export async function markPending(db: Queryable, deliveryId: string): Promise<void> {
  await db('deliveries')
    .where({ id: deliveryId })
    .update({ status: 'pending', next_attempt_at: db.fn.now(3), updated_at: db.fn.now(3) });
}

export async function disableEndpoint(db: Queryable, endpointId: string, reason: string): Promise<void> {
  await db('webhook_endpoints').where({ id: endpointId, status: 'enabled' }).update({
    status: 'disabled',
    disabled_reason: reason,
    disabled_at: db.fn.now(),
    // A re-enabled endpoint starts a fresh failure window.
    failing_since: null,
    updated_at: db.fn.now(),
  });
}
