// What one delivery attempt reads and writes, in two round trips: one query for everything the
// attempt needs (delivery, an earlier record of this attempt, endpoint, event, valid secrets),
// one statement that records the attempt, the delivery's new state and the endpoint's health.
import type { Queryable } from '../../lib/db';
import type { AttemptRow, DeliveryRow, DeliveryUpdate } from './delivery-store';
import type { EventRow } from '../events/event-store';
import { openSecret } from '../platform/secret-box';
import type { EndpointRow } from './endpoint-store';

export interface AttemptEndpoint extends Pick<EndpointRow, 'kind' | 'listener_session_id' | 'listener_seen_at'> {
  id: string;
  /** Null for a `wth listen` endpoint (kind `listener`): it is handed over, not POSTed. */
  url: string | null;
  status: EndpointRow['status'];
  failingSince: Date | null;
  updatedAt: Date;
}

export interface RecordedAttempt {
  attemptNumber: number;
  statusCode: number | null;
  /** Workflow run id + activity id of the run that recorded it (null before operator replays). */
  activityKey: string | null;
}

export interface AttemptContext {
  delivery: DeliveryRow;
  /** This attempt as already recorded (a re-run after a crash), or null if it never was. */
  recorded: RecordedAttempt | null;
  endpoint: AttemptEndpoint | null;
  event: EventRow | null;
  /** Valid signing secrets at `at`, newest first; empty unless the endpoint is enabled. */
  secrets: string[];
}

interface ContextRow extends DeliveryRow {
  recorded: boolean;
  recorded_status_code: number | null;
  recorded_activity_key: string | null;
  ep_id: string | null;
  ep_url: string | null;
  ep_kind: EndpointRow['kind'];
  ep_listener_session_id: string | null;
  ep_listener_seen_at: Date | null;
  ep_status: EndpointRow['status'];
  ep_failing_since: Date | null;
  ep_updated_at: Date;
  ev_id: string | null;
  ev_seq: string;
  ev_dealer_id: string;
  ev_livemode: boolean;
  ev_type: EventRow['type'];
  ev_api_version: string;
  ev_data: EventRow['data'];
  ev_origin: EventRow['origin'];
  ev_origin_integration_id: string | null;
  ev_created_at: Date;
  ev_workflow_started_at: Date | null;
  secrets: Buffer[];
}

export async function loadAttemptContext(
  db: Queryable,
  secretsKey: Buffer,
  deliveryId: string,
  attemptNumber: number,
  at: Date = new Date(),
): Promise<AttemptContext | null> {
  const { rows } = (await db.raw(
    `select d.*,
       a.delivery_id is not null as recorded, a.status_code as recorded_status_code,
       a.activity_key as recorded_activity_key,
       e.id as ep_id, e.url as ep_url, e.kind as ep_kind, e.status as ep_status,
       e.listener_session_id as ep_listener_session_id, e.listener_seen_at as ep_listener_seen_at,
       e.failing_since as ep_failing_since, e.updated_at as ep_updated_at,
       ev.id as ev_id, ev.seq as ev_seq, ev.dealer_id as ev_dealer_id, ev.livemode as ev_livemode,
       ev.type as ev_type, ev.api_version as ev_api_version, ev.data as ev_data, ev.origin as ev_origin,
       ev.origin_integration_id as ev_origin_integration_id, ev.created_at as ev_created_at,
       ev.workflow_started_at as ev_workflow_started_at,
       array(select s.ciphertext from webhook_endpoint_secrets s
             where s.endpoint_id = e.id and e.status = 'enabled' and (s.expires_at is null or s.expires_at > ?)
             order by s.created_at desc) as secrets
     from deliveries d
     left join delivery_attempts a on a.delivery_id = d.id and a.attempt_number = ?
     left join webhook_endpoints e on e.id = d.endpoint_id
     left join events ev on ev.id = d.event_id
     where d.id = ?`,
    [at, attemptNumber, deliveryId],
  )) as { rows: ContextRow[] };
  const r = rows[0];
  if (!r) return null;
  const {
    recorded,
    recorded_status_code,
    recorded_activity_key,
    ep_id,
    ep_url,
    ep_kind,
    ep_listener_session_id,
    ep_listener_seen_at,
    ep_status,
    ep_failing_since,
    ep_updated_at,
    ev_id,
    ev_seq,
    ev_dealer_id,
    ev_livemode,
    ev_type,
    ev_api_version,
    ev_data,
    ev_origin,
    ev_origin_integration_id,
    ev_created_at,
    ev_workflow_started_at,
    secrets,
    ...delivery
  } = r;
  return {
    delivery,
    recorded: recorded ? { attemptNumber, statusCode: recorded_status_code, activityKey: recorded_activity_key } : null,
    endpoint: ep_id
      ? {
          id: ep_id,
          url: ep_url,
          kind: ep_kind,
          listener_session_id: ep_listener_session_id,
          listener_seen_at: ep_listener_seen_at,
          status: ep_status,
          failingSince: ep_failing_since,
          updatedAt: ep_updated_at,
        }
      : null,
    event: ev_id
      ? {
          id: ev_id,
          seq: ev_seq,
          dealer_id: ev_dealer_id,
          livemode: ev_livemode,
          type: ev_type,
          api_version: ev_api_version,
          data: ev_data,
          origin: ev_origin,
          origin_integration_id: ev_origin_integration_id,
          created_at: ev_created_at,
          workflow_started_at: ev_workflow_started_at,
        }
      : null,
    secrets: secrets.map((c) => openSecret(secretsKey, c)),
  };
}

/**
 * When the endpoint's current run of failures began, counting this attempt (null after a
 * success). A change to the endpoint since (re-enabled, new URL) starts a fresh window. The
 * same rule as the SQL in `recordAttemptOutcome`, which is what is stored.
 */
export function failingSinceAfter(endpoint: AttemptEndpoint, succeeded: boolean, at: Date): Date | null {
  if (succeeded) return null;
  const since = endpoint.failingSince;
  return since === null || since < endpoint.updatedAt ? at : since;
}

/**
 * Records one attempt, the delivery's new state and the endpoint's failure window in one
 * statement (atomic, one round trip). Activities run at least once: a re-run of the same
 * attempt number records no second attempt row.
 */
export async function recordAttemptOutcome(
  db: Queryable,
  attempt: Omit<AttemptRow, 'id'>,
  update: DeliveryUpdate,
  endpointId: string,
): Promise<void> {
  const code = attempt.status_code;
  const succeeded = code !== null && code >= 200 && code < 300;
  await db.raw(
    `with attempt as (
       insert into delivery_attempts
         (delivery_id, attempt_number, trigger, started_at, duration_ms, status_code, error,
          response_body_preview, signature_header, activity_key)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       -- the same number, or the same activity's record: it is already there
       on conflict do nothing
     ), delivery as (
       update deliveries set status = ?, attempt_count = greatest(attempt_count, ?), last_attempt_at = ?,
         last_status_code = ?, next_attempt_at = ?, status_reason = null, updated_at = current_timestamp(3)
       where id = ?
     )
     update webhook_endpoints set failing_since =
       case when ?::boolean then null
            when failing_since is null or failing_since < updated_at then ?::timestamptz
            else failing_since end
     where id = ? and status = 'enabled' and (not ?::boolean or failing_since is not null)`,
    [
      attempt.delivery_id,
      attempt.attempt_number,
      attempt.trigger,
      attempt.started_at,
      attempt.duration_ms,
      code,
      attempt.error,
      attempt.response_body_preview,
      attempt.signature_header,
      attempt.activity_key,
      update.status,
      attempt.attempt_number,
      attempt.started_at,
      code,
      update.nextAttemptAt,
      attempt.delivery_id,
      succeeded,
      attempt.started_at,
      endpointId,
      succeeded,
    ],
  );
}
