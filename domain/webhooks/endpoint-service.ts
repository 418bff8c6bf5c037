// Managing a Custom Integration's webhook endpoints (API and dashboard share these): URL
// policy at save time, subscriptions, a per-integration limit, status, and secret rotation.
import { NotFoundError, UnprocessableError, ValidationError } from '../errors';
import { resolveAndCheck, validateEndpointUrl } from '../../lib/address-policy';
import type { Db, Queryable } from '../../lib/db';
import { EVENT_TYPES } from '../events/catalog';
import { paginate, type Page, type PageRequest } from '../platform/pagination';
import { insertEndpoint, rotateSecret, type EndpointRow } from './endpoint-store';

/** Per integration and mode; enough for fan-out to a few systems, small enough to bound sends. */
export const MAX_ENDPOINTS_PER_INTEGRATION = 16;

const NAMESPACES = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0] as string))];
const SUBSCRIPTIONS: ReadonlySet<string> = new Set(['*', ...NAMESPACES.map((n) => `${n}.*`), ...EVENT_TYPES]);

export const isValidSubscription = (entry: string): boolean => SUBSCRIPTIONS.has(entry);
export const SUBSCRIPTION_HINT = `'*', ${NAMESPACES.map((n) => `'${n}.*'`).join(', ')} or an event type such as '${EVENT_TYPES[0]}'`;

/** Who is asking: an API key (one integration, one mode) or the dealer's dashboard. */
export interface EndpointScope {
  dealerId: string;
  integrationId: string;
  /** Set for API keys (their mode); the dashboard reads across modes by id. */
  livemode?: boolean;
}

export interface EndpointPolicy {
  secretsKey: Buffer;
  allowPrivate: boolean;
}

export interface EndpointInput {
  url: string;
  description?: string | null;
  enabledEvents?: string[];
}

export interface EndpointPatch {
  url?: string;
  description?: string | null;
  enabledEvents?: string[];
  status?: 'enabled' | 'disabled';
}

async function checkUrl(url: string, livemode: boolean, allowPrivate: boolean): Promise<string> {
  const check = validateEndpointUrl(url, { livemode, allowPrivate });
  if (!check.ok) throw new ValidationError(check.message, 'url', check.code);
  const refusal = await resolveAndCheck(check.url.hostname, allowPrivate);
  if (refusal) throw new ValidationError(refusal, 'url', 'url_not_allowed');
  // Stored as given (the parsed form only checked it), so the dealer sees what they typed.
  return url;
}

const dedupe = (events: string[]): string[] => [...new Set(events)];

/** The Custom Integration the scope names, or 404 (also for another dealer's). */
async function assertIntegration(db: Queryable, scope: EndpointScope, lock = false): Promise<void> {
  const q = db('integrations').where({ id: scope.integrationId, dealer_id: scope.dealerId, kind: 'custom' });
  if (lock) q.forUpdate();
  const row = await q.first('id');
  if (!row) throw new NotFoundError('integration', scope.integrationId, 'integrationId');
}

export async function createEndpoint(
  db: Db,
  policy: EndpointPolicy,
  scope: EndpointScope & { livemode: boolean },
  input: EndpointInput,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  // Resolving may take a while; do it before holding any lock.
  const url = await checkUrl(input.url, scope.livemode, policy.allowPrivate);
  return db.transaction(async (trx) => {
    // Locked so that concurrent creates cannot both pass the limit check.
    await assertIntegration(trx, scope, true);
    const [{ count } = { count: 0 }] = await trx('webhook_endpoints')
      .where({ integration_id: scope.integrationId, livemode: scope.livemode })
      .count<{ count: string | number }[]>({ count: '*' });
    if (Number(count) >= MAX_ENDPOINTS_PER_INTEGRATION) {
      throw new UnprocessableError(
        `An integration may have at most ${MAX_ENDPOINTS_PER_INTEGRATION} ${scope.livemode ? 'live' : 'test'} mode webhook endpoints; delete one first.`,
        'endpoint_limit_reached',
      );
    }
    return insertEndpoint(trx, policy.secretsKey, {
      dealerId: scope.dealerId,
      integrationId: scope.integrationId,
      livemode: scope.livemode,
      url,
      description: input.description ?? null,
      enabledEvents: dedupe(input.enabledEvents ?? ['*']),
    });
  });
}

function scoped(db: Queryable, scope: EndpointScope) {
  const q = db<EndpointRow>('webhook_endpoints').where({
    dealer_id: scope.dealerId,
    integration_id: scope.integrationId,
  });
  if (scope.livemode !== undefined) q.where({ livemode: scope.livemode });
  return q;
}

/** 404 for ids of another dealer, integration or mode: never reveal that they exist. */
export async function getEndpoint(db: Queryable, scope: EndpointScope, id: string): Promise<EndpointRow> {
  const row = await scoped(db, scope).where({ id }).first();
  if (!row) throw new NotFoundError('webhook_endpoint', id, 'id');
  return row;
}

export async function listEndpoints(
  db: Queryable,
  scope: EndpointScope & { livemode: boolean },
  page: PageRequest,
): Promise<Page<EndpointRow>> {
  // A foreign or non-custom integration id is a 404, as on every other route, not an empty list.
  await assertIntegration(db, scope);
  // Endpoint ids are text: any string is a safe lookup.
  return paginate<EndpointRow>(() => scoped(db, scope), page, { direction: 'asc', validId: () => true });
}

export async function updateEndpoint(
  db: Db,
  policy: EndpointPolicy,
  scope: EndpointScope,
  id: string,
  patch: EndpointPatch,
): Promise<EndpointRow> {
  const current = await getEndpoint(db, scope, id);
  const url = patch.url === undefined ? undefined : await checkUrl(patch.url, current.livemode, policy.allowPrivate);
  const changes: Record<string, unknown> = {};
  if (url !== undefined) changes.url = url;
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.enabledEvents !== undefined) changes.enabled_events = dedupe(patch.enabledEvents);
  if (patch.status === 'enabled') {
    Object.assign(changes, { status: 'enabled', disabled_reason: null, disabled_at: null });
  } else if (patch.status === 'disabled') {
    // Keep the first reason and time when an endpoint the system disabled is disabled again.
    Object.assign(changes, {
      status: 'disabled',
      disabled_reason: db.raw("COALESCE(disabled_reason, 'manual')"),
      disabled_at: db.raw('COALESCE(disabled_at, now())'),
    });
  }
  if (Object.keys(changes).length === 0) return current;
  const [row] = await scoped(db, scope)
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning('*');
  if (!row) throw new NotFoundError('webhook_endpoint', id, 'id');
  return row as EndpointRow;
}

/** Removes the endpoint with its secrets and delivery log; in-flight deliveries stop at their next read. */
export async function deleteEndpoint(db: Queryable, scope: EndpointScope, id: string): Promise<EndpointRow> {
  const [row] = await scoped(db, scope).where({ id }).delete().returning('*');
  if (!row) throw new NotFoundError('webhook_endpoint', id, 'id');
  return row as EndpointRow;
}

export async function rotateEndpointSecret(
  db: Db,
  policy: EndpointPolicy,
  scope: EndpointScope,
  id: string,
  graceMs: number,
): Promise<{ endpoint: EndpointRow; secret: string; previousExpireAt: Date }> {
  const endpoint = await getEndpoint(db, scope, id);
  const { secret, previousExpireAt } = await rotateSecret(db, policy.secretsKey, endpoint.id, graceMs);
  return { endpoint, secret, previousExpireAt };
}
