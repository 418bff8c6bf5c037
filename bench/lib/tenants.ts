// The dealers a run works with: each has its own Custom Integration, test key, receivers and
// webhook endpoints, and publishes events through the public API like a dealer's backend.
import { Agent, request } from 'undici';
import type { Db } from '../../lib/db';
import { createDealer } from '../../domain/dealers';
import { insertEndpoint } from '../../domain/webhook-endpoints';
import type { Ledger, PendingInfo } from './ledger';
import { HttpStatusError } from './open-loop';
import { startReceivers, type Receiver } from './receivers';

export interface Tenant {
  name: string;
  dealerId: string;
  integrationId: string;
  key: string;
  receivers: Receiver[];
  endpointIds: string[];
}

// Enough sockets that the generator, not the pool, decides when requests leave.
export const loadAgent = new Agent({ connections: 256, keepAliveTimeout: 30_000, pipelining: 1 });

export async function createTenant(opts: {
  db: Db;
  secretsKey: Buffer;
  ledger: Ledger;
  name: string;
  endpoints: number;
  apiUrl: string;
}): Promise<Tenant> {
  const tag = `${opts.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const { dealer, integration, keys } = await createDealer(opts.db, {
    name: `Bench ${tag}`,
    email: `bench-${tag}@example.test`,
  });
  const receivers = await startReceivers(opts.ledger, opts.endpoints);
  const tenant: Tenant = {
    name: opts.name,
    dealerId: dealer.id,
    integrationId: integration.id,
    key: keys.test.key,
    receivers,
    endpointIds: [],
  };
  for (const r of receivers) {
    const created = await createEndpoint(opts, tenant, r.url);
    r.endpointId = created.id;
    r.secrets = [created.secret];
    tenant.endpointIds.push(created.id);
  }
  return tenant;
}

/** Through the public API when the route exists; otherwise straight into the table. */
async function createEndpoint(
  opts: { db: Db; secretsKey: Buffer; apiUrl: string },
  tenant: Tenant,
  url: string,
): Promise<{ id: string; secret: string }> {
  const res = await request(`${opts.apiUrl}/api/v1/webhook_endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, enabled_events: ['*'] }),
    dispatcher: loadAgent,
  });
  const body = (await res.body.json().catch(() => null)) as { id?: string; secret?: string } | null;
  if (res.statusCode < 300 && body?.id && body.secret) return { id: body.id, secret: body.secret };
  if (res.statusCode !== 404 && res.statusCode !== 405)
    throw new Error(`creating a webhook endpoint answered ${res.statusCode}`);
  const { endpoint, secret } = await insertEndpoint(opts.db, opts.secretsKey, {
    dealerId: tenant.dealerId,
    integrationId: tenant.integrationId,
    livemode: false,
    url,
    enabledEvents: ['*'],
  });
  return { id: endpoint.id, secret };
}

/**
 * One event through the public API: a test ping, which every endpoint of the integration must
 * receive. The ledger learns the event id and when the API answered.
 */
export async function publishPing(apiUrl: string, tenant: Tenant, ledger: Ledger): Promise<string> {
  const res = await request(`${apiUrl}/api/v1/test/webhook_ping`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
    body: '{}',
    dispatcher: loadAgent,
  });
  const text = await res.body.text();
  const answeredAt = Date.now();
  if (res.statusCode >= 300) throw new HttpStatusError(res.statusCode);
  const eventId = findEventId(JSON.parse(text));
  if (!eventId) throw new Error('the ping answer names no evt_ id');
  ledger.expect(eventId, tenant.endpointIds, answeredAt);
  return eventId;
}

/** The first `evt_…` string in an answer, wherever the route puts it. */
export function findEventId(body: unknown): string | null {
  if (typeof body === 'string') return body.startsWith('evt_') ? body : null;
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) {
      const found = findEventId(v);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The committed truth: every event the database holds for the tenants (some were committed by
 * an API that died before answering) joins the ledger, so nothing committed escapes the count.
 */
export async function reconcileCommitted(db: Db, tenants: readonly Tenant[], ledger: Ledger): Promise<void> {
  for (const t of tenants) {
    const rows = await db('events').where({ dealer_id: t.dealerId }).select('id');
    for (const r of rows as { id: string }[]) ledger.expect(r.id, t.endpointIds, null);
  }
}

/** What the delivery log says about pairs that never arrived. */
export async function pendingFromDeliveryLog(
  db: Db,
  pairs: readonly { eventId: string; endpointId: string }[],
): Promise<Map<string, PendingInfo>> {
  const out = new Map<string, PendingInfo>();
  const eventIds = [...new Set(pairs.map((p) => p.eventId))];
  for (let i = 0; i < eventIds.length; i += 500) {
    const rows = (await db('deliveries')
      .whereIn('event_id', eventIds.slice(i, i + 500))
      .select('event_id', 'endpoint_id', 'status', 'attempt_count')) as {
      event_id: string;
      endpoint_id: string;
      status: string;
      attempt_count: number;
    }[];
    for (const r of rows)
      out.set(`${r.event_id} ${r.endpoint_id}`, { status: r.status, attempts: Number(r.attempt_count) });
  }
  return out;
}
