import type { Queryable } from '../../lib/db';
import { prefixedId } from '../../lib/ids';
import type { EventOrigin, EventType } from './catalog';

export interface EventRow {
  id: string;
  seq: string;
  dealer_id: string;
  livemode: boolean;
  type: EventType;
  api_version: string;
  data: EventData;
  origin: EventOrigin;
  origin_integration_id: string | null;
  created_at: Date;
  workflow_started_at: Date | null;
}

export interface EventData {
  object: Record<string, unknown>;
  previous_attributes?: Record<string, unknown>;
}

export interface NewEvent {
  dealerId: string;
  livemode: boolean;
  type: EventType;
  object: Record<string, unknown>;
  previousAttributes?: Record<string, unknown>;
  origin: EventOrigin;
  originIntegrationId?: string | null;
}

/** The JSON envelope every delivery carries, and what `GET /events/:id` returns. */
export interface EventEnvelope {
  id: string;
  object: 'event';
  type: EventType;
  api_version: string;
  created_at: string;
  livemode: boolean;
  data: EventData;
}

/** Must run inside the transaction that makes the change: the event row is the outbox. */
export async function recordEvent(trx: Queryable, e: NewEvent): Promise<EventRow> {
  const data: EventData = { object: e.object };
  if (e.previousAttributes) data.previous_attributes = e.previousAttributes;
  const [row] = await trx<EventRow>('events')
    .insert({
      id: prefixedId('evt'),
      dealer_id: e.dealerId,
      livemode: e.livemode,
      type: e.type,
      data,
      origin: e.origin,
      origin_integration_id: e.originIntegrationId ?? null,
    } as Partial<EventRow>)
    .returning('*');
  return row as EventRow;
}

export async function findEvent(db: Queryable, id: string): Promise<EventRow | undefined> {
  return db<EventRow>('events').where({ id }).first();
}

/**
 * Its deliveries are planned (`events.planned_at`): from now on they, not the event, count as
 * in flight for admission control.
 */
export async function markEventPlanned(db: Queryable, id: string): Promise<void> {
  await db('events')
    .where({ id })
    .whereNull('planned_at')
    .update({ planned_at: db.raw('now()') });
}

/** Where `markEventQueued` tells the dispatchers that an event is due (they LISTEN). */
export const EVENTS_QUEUED_CHANNEL = 'wth_events_queued';

/**
 * Its start is left to the dispatcher (`events.queued_at`): due now, no grace. The notification
 * wakes the dispatchers instead of leaving the event to their next pass.
 */
export async function markEventQueued(db: Queryable, id: string): Promise<void> {
  await db.raw(
    `with q as (update events set queued_at = now() where id = ? and workflow_started_at is null returning 1)
     select pg_notify(?, '') from q`,
    [id, EVENTS_QUEUED_CHANNEL],
  );
}

export function toEnvelope(row: EventRow): EventEnvelope {
  return {
    id: row.id,
    object: 'event',
    type: row.type,
    api_version: row.api_version,
    created_at: row.created_at.toISOString(),
    livemode: row.livemode,
    data: row.data,
  };
}
