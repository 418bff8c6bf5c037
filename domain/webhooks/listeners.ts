// Listener endpoints: a developer's `wth listen` is a webhook endpoint of kind `listener` (no
// URL). Registration reuses the one of that name; a connection claims it for one CLI process
// (its session id) and one API stream (its connection id) at a time.
import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import type { Db, Queryable } from '../../lib/db';
import { wakeDelivery } from '../../lib/temporal/gateway';
import type { Client } from '@temporalio/client';
import { addSecret, insertEndpoint, validSecrets, type EndpointRow } from './endpoint-store';

/** A listener whose stream has not beaten for this long is not connected (its API process died). */
export const LISTENER_STALE_MS = 30_000;
/** Per integration and mode, apart from the URL endpoints' own limit. */
export const MAX_LISTENERS_PER_INTEGRATION = 16;
export const LISTENER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ListenerScope {
  dealerId: string;
  integrationId: string;
  livemode: boolean;
}

export function isListenerConnected(
  row: Pick<EndpointRow, 'kind' | 'listener_session_id' | 'listener_seen_at'>,
  now = Date.now(),
): boolean {
  return (
    row.kind === 'listener' &&
    row.listener_session_id !== null &&
    row.listener_seen_at !== null &&
    now - row.listener_seen_at.getTime() < LISTENER_STALE_MS
  );
}

const scoped = (db: Queryable, scope: ListenerScope) =>
  db<EndpointRow>('webhook_endpoints').where({
    dealer_id: scope.dealerId,
    integration_id: scope.integrationId,
    livemode: scope.livemode,
    kind: 'listener',
  });

/** 404 for another integration's, another mode's, or a URL endpoint's id. */
export async function getListener(db: Queryable, scope: ListenerScope, id: string): Promise<EndpointRow> {
  const row = await scoped(db, scope).where({ id }).first();
  if (!row) throw new NotFoundError('listener', id, 'id');
  return row;
}

/** The newest valid secret: a listener's secret is shown on every run so the local server can verify. */
async function activeSecret(db: Queryable, key: Buffer, endpointId: string): Promise<string> {
  const [newest] = await validSecrets(db, key, endpointId);
  return newest ?? addSecret(db, key, endpointId);
}

/**
 * Creates the listener of this name, or reuses it: the same endpoint, secret and delivery log
 * on every run. The subscriptions are the current run's; a listener disabled by failures while
 * nobody listened is enabled again (someone is about to listen).
 */
export async function registerListener(
  db: Db,
  secretsKey: Buffer,
  scope: ListenerScope,
  input: { name: string; enabledEvents: string[] },
): Promise<{ endpoint: EndpointRow; secret: string; created: boolean }> {
  return db.transaction(async (trx) => {
    // Locked so that two registrations of a new name cannot both insert.
    await trx('integrations').where({ id: scope.integrationId }).forUpdate().first('id');
    const existing = await scoped(trx, scope).where({ listener_name: input.name }).first();
    if (existing) {
      const [endpoint] = (await trx<EndpointRow>('webhook_endpoints')
        .where({ id: existing.id })
        .update({
          enabled_events: input.enabledEvents,
          status: 'enabled',
          disabled_reason: null,
          disabled_at: null,
          updated_at: trx.fn.now(),
        })
        .returning('*')) as EndpointRow[];
      return {
        endpoint: endpoint as EndpointRow,
        secret: await activeSecret(trx, secretsKey, existing.id),
        created: false,
      };
    }
    const [{ count } = { count: 0 }] = await scoped(trx, scope).count<{ count: string | number }[]>({ count: '*' });
    if (Number(count) >= MAX_LISTENERS_PER_INTEGRATION) {
      throw new UnprocessableError(
        `An integration may have at most ${MAX_LISTENERS_PER_INTEGRATION} listeners per mode; delete an unused one (DELETE /api/v1/webhook_endpoints/{id}).`,
        'listener_limit_reached',
      );
    }
    const { endpoint, secret } = await insertEndpoint(trx, secretsKey, {
      dealerId: scope.dealerId,
      integrationId: scope.integrationId,
      livemode: scope.livemode,
      url: null,
      listenerName: input.name,
      description: `wth listen on ${input.name}`,
      enabledEvents: input.enabledEvents,
    });
    return { endpoint, secret, created: true };
  });
}

/**
 * Claims the listener for one CLI process (`sessionId`) and this stream (`connectionId`). The
 * same process reconnecting takes over from its previous stream; another process is refused
 * while the current one is alive.
 */
export async function connectListener(
  db: Queryable,
  scope: ListenerScope,
  id: string,
  sessionId: string,
  connectionId: string,
): Promise<EndpointRow> {
  const current = await getListener(db, scope, id);
  const [claimed] = (await db<EndpointRow>('webhook_endpoints')
    .where({ id: current.id })
    .where((q) =>
      q
        .whereNull('listener_session_id')
        .orWhere('listener_session_id', sessionId)
        .orWhereNull('listener_seen_at')
        .orWhere('listener_seen_at', '<', db.raw(`now() - make_interval(secs => ?)`, [LISTENER_STALE_MS / 1000])),
    )
    .update({
      listener_session_id: sessionId,
      listener_connection_id: connectionId,
      listener_connected_at: db.raw(
        'CASE WHEN listener_session_id IS NOT DISTINCT FROM ? THEN coalesce(listener_connected_at, now()) ELSE now() END',
        [sessionId],
      ),
      listener_seen_at: db.fn.now(),
    })
    .returning('*')) as EndpointRow[];
  if (!claimed) {
    throw new ConflictError(
      `Another \`wth listen\` is already connected as '${current.listener_name}' (since ${current.listener_connected_at?.toISOString() ?? 'recently'}). Stop it, or run this one with a different --name.`,
      'listener_already_connected',
    );
  }
  return claimed;
}

/** Heartbeat of a stream; false when the stream no longer owns the listener (deleted or taken over). */
export async function touchListener(db: Queryable, id: string, connectionId: string): Promise<boolean> {
  const n = await db('webhook_endpoints')
    .where({ id, listener_connection_id: connectionId })
    .update({ listener_seen_at: db.fn.now() });
  return n > 0;
}

/** Marks the listener not connected, unless a newer stream or process has taken it over. */
export async function disconnectListener(
  db: Queryable,
  id: string,
  owner: { connectionId?: string; sessionId?: string },
): Promise<boolean> {
  const q = db('webhook_endpoints').where({ id, kind: 'listener' });
  if (owner.connectionId) q.where({ listener_connection_id: owner.connectionId });
  if (owner.sessionId) q.where({ listener_session_id: owner.sessionId });
  const n = await q.update({ listener_session_id: null, listener_connection_id: null, listener_seen_at: db.fn.now() });
  return n > 0;
}

const WAKE_LIMIT = 200;

/**
 * Cuts the backoff of the listener's pending deliveries short (they failed while it was
 * offline or its local server was down): called when it connects and when the CLI sees its
 * local server answer again. The woken attempts show as trigger `manual`.
 */
export async function wakeListenerDeliveries(
  deps: { db: Queryable; temporal: Client },
  endpointId: string,
): Promise<number> {
  const waiting = await deps
    .db('deliveries')
    .where({ endpoint_id: endpointId, status: 'pending' })
    .where('next_attempt_at', '>', deps.db.fn.now())
    .orderBy('seq')
    .limit(WAKE_LIMIT)
    .pluck('id');
  let woken = 0;
  for (const id of waiting as string[]) {
    if (await wakeDelivery(deps.temporal, id)) woken++;
  }
  return woken;
}
