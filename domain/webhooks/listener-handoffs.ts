// Hand-overs of delivery attempts to listener endpoints. The attempt activity creates one and
// waits; the stream of the connected `wth listen` claims it, signs it with the secrets valid at
// that moment and sends it; the CLI acknowledges with its local server's answer.
import type { Queryable } from '../../lib/db';
import { signatureHeader } from '../../lib/signing';
import { webhookHeaders } from '../../lib/webhook-headers';
import { validSecrets } from './endpoint-store';

export interface HandoffRow {
  id: string;
  endpoint_id: string;
  delivery_id: string;
  attempt_number: number;
  event_id: string;
  event_type: string;
  event_seq: string;
  body: string;
  created_at: Date;
  expires_at: Date;
  handed_at: Date | null;
  handed_count: number;
  session_id: string | null;
  connection_id: string | null;
  signature_header: string | null;
  acked_at: Date | null;
  expired_at: Date | null;
  status_code: number | null;
  error: string | null;
  response_body_preview: string | null;
  duration_ms: number | null;
}

/** What the local server answered, as the CLI reports it. */
export interface HandoffOutcome {
  statusCode: number | null;
  error: string | null;
  responseBodyPreview: string | null;
  durationMs: number;
}

/** One message on a listener's stream. */
export interface HandedOut {
  handoffId: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  attemptNumber: number;
  headers: Record<string, string>;
  body: string;
  /** The CLI must acknowledge before this (ISO time); later, the attempt has already failed. */
  ackBy: string;
}

/** Idempotent per delivery attempt: a re-run of the activity finds the first one. */
export async function openHandoff(
  db: Queryable,
  input: {
    endpointId: string;
    deliveryId: string;
    attemptNumber: number;
    event: { id: string; type: string; seq: string };
    body: string;
    expiresAt: Date;
  },
): Promise<HandoffRow> {
  await db('listener_handoffs')
    .insert({
      endpoint_id: input.endpointId,
      delivery_id: input.deliveryId,
      attempt_number: input.attemptNumber,
      event_id: input.event.id,
      event_type: input.event.type,
      event_seq: input.event.seq,
      body: input.body,
      expires_at: input.expiresAt,
    })
    .onConflict(['delivery_id', 'attempt_number'])
    .ignore();
  return (await findHandoff(db, input.deliveryId, input.attemptNumber)) as HandoffRow;
}

export async function findHandoff(
  db: Queryable,
  deliveryId: string,
  attemptNumber: number,
): Promise<HandoffRow | undefined> {
  return db<HandoffRow>('listener_handoffs').where({ delivery_id: deliveryId, attempt_number: attemptNumber }).first();
}

/** Closes an unacknowledged hand-over; false when an acknowledgement won the race. */
export async function expireHandoff(db: Queryable, id: string): Promise<boolean> {
  const n = await db('listener_handoffs')
    .where({ id })
    .whereNull('acked_at')
    .whereNull('expired_at')
    .update({ expired_at: db.fn.now(3) });
  return n > 0;
}

// A hand-over with less time than this left is not sent: the local POST could not finish.
const MIN_TIME_LEFT_MS = 1_500;

/**
 * The next hand-over for this stream, oldest event first, if fewer than `window` are out
 * unacknowledged on it: never-sent ones, and ones sent on an earlier stream that were not
 * acknowledged (the CLI reconnected). Signed now, with the endpoint's secrets valid now.
 */
export async function claimNextHandoff(
  db: Queryable,
  secretsKey: Buffer,
  stream: { endpointId: string; sessionId: string; connectionId: string; window: number },
): Promise<HandedOut | null> {
  return db.transaction(async (trx) => {
    const open = () =>
      trx<HandoffRow>('listener_handoffs')
        .where({ endpoint_id: stream.endpointId })
        .whereNull('acked_at')
        .whereNull('expired_at')
        .where('expires_at', '>', trx.raw(`now() + make_interval(secs => ?)`, [MIN_TIME_LEFT_MS / 1000]));
    const [{ out } = { out: 0 }] = await open()
      .where({ connection_id: stream.connectionId })
      .count<{ out: string | number }[]>({ out: '*' });
    if (Number(out) >= stream.window) return null;
    const row = await open()
      .where((q) => q.whereNull('connection_id').orWhereNot({ connection_id: stream.connectionId }))
      // Only while this stream owns the listener: a stream that was taken over sends nothing.
      .whereExists((q) =>
        q
          .select(trx.raw('1'))
          .from('webhook_endpoints')
          .where({ id: stream.endpointId, listener_connection_id: stream.connectionId }),
      )
      .orderBy([{ column: 'event_seq' }, { column: 'id' }])
      .forUpdate()
      .skipLocked()
      .first();
    if (!row) return null;
    const secrets = await validSecrets(trx, secretsKey, stream.endpointId);
    if (secrets.length === 0) return null;
    const signature = signatureHeader(secrets, Math.floor(Date.now() / 1000), row.body);
    await trx('listener_handoffs')
      .where({ id: row.id })
      .update({
        handed_at: trx.fn.now(3),
        handed_count: trx.raw('handed_count + 1'),
        session_id: stream.sessionId,
        connection_id: stream.connectionId,
        signature_header: signature,
      });
    return {
      handoffId: String(row.id),
      deliveryId: row.delivery_id,
      eventId: row.event_id,
      eventType: row.event_type,
      attemptNumber: row.attempt_number,
      headers: webhookHeaders({
        signature,
        eventId: row.event_id,
        eventType: row.event_type,
        deliveryId: row.delivery_id,
        attemptNumber: row.attempt_number,
      }),
      body: row.body,
      ackBy: row.expires_at.toISOString(),
    };
  });
}

export type AckResult = 'accepted' | 'already_acknowledged' | 'expired' | 'not_found';

/** Records the local server's answer; only the CLI process it was last handed to may answer. */
export async function ackHandoff(
  db: Queryable,
  input: { endpointId: string; handoffId: string; sessionId: string; outcome: HandoffOutcome },
): Promise<AckResult> {
  if (!/^\d{1,18}$/.test(input.handoffId)) return 'not_found';
  const n = await db('listener_handoffs')
    .where({ id: input.handoffId, endpoint_id: input.endpointId, session_id: input.sessionId })
    .whereNull('acked_at')
    .whereNull('expired_at')
    .update({
      acked_at: db.fn.now(3),
      status_code: input.outcome.statusCode,
      error: input.outcome.error,
      response_body_preview: input.outcome.responseBodyPreview,
      duration_ms: input.outcome.durationMs,
    });
  if (n > 0) return 'accepted';
  const row = await db<HandoffRow>('listener_handoffs')
    .where({ id: input.handoffId, endpoint_id: input.endpointId, session_id: input.sessionId })
    .first('acked_at', 'expired_at');
  if (!row) return 'not_found';
  return row.acked_at ? 'already_acknowledged' : 'expired';
}

/** Hand-overs are transient (the attempt row is the record); old ones are dropped. */
export async function purgeHandoffs(db: Queryable, olderThanMs: number): Promise<number> {
  return db('listener_handoffs')
    .where('created_at', '<', db.raw(`now() - make_interval(secs => ?)`, [olderThanMs / 1000]))
    .delete();
}
