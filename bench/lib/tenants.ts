// The dealers a run works with: each has its own Custom Integration, test key, receivers and
// webhook endpoints, and publishes events through the public API like a dealer's backend.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Db } from '../../lib/db';
import { createApiKey } from '../../domain/accounts/api-keys';
import { createDealer, type IntegrationRow } from '../../domain/accounts/dealers';
import { insertEndpoint } from '../../domain/webhooks/endpoint-store';
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
  /**
   * ping: test pings, delivered to the pinging integration's own endpoints.
   * order: orders posted by an integration without endpoints; order.received reaches every
   * endpoint of the dealer's other integrations (the writer's echo is suppressed). This is how
   * one event reaches more endpoints than one integration may have.
   */
  publish: 'ping' | 'order';
}

/** The per-integration endpoint limit of the product (MAX_ENDPOINTS_PER_INTEGRATION). */
const ENDPOINTS_PER_INTEGRATION = 16;

// Enough sockets that the generator, not the pool, decides when requests leave.
export const loadAgent = new Agent({ connections: 256, keepAliveTimeout: 30_000, pipelining: 1 });

export async function createTenant(opts: {
  db: Db;
  secretsKey: Buffer;
  ledger: Ledger;
  name: string;
  endpoints: number;
  apiUrl: string;
  publish?: 'ping' | 'order';
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
    publish: opts.publish ?? 'ping',
  };
  // Receiving integrations: the tenant's own for pings; further ones of the same dealer for orders.
  let owner = { integrationId: integration.id, key: keys.test.key };
  for (const [i, r] of receivers.entries()) {
    if (tenant.publish === 'order' && i % ENDPOINTS_PER_INTEGRATION === 0)
      owner = await addIntegration(opts.db, dealer.id, `Receiver ${i / ENDPOINTS_PER_INTEGRATION + 1}`);
    const created = await createEndpoint(opts, { ...tenant, ...owner }, r.url);
    r.endpointId = created.id;
    r.secrets = [created.secret];
    tenant.endpointIds.push(created.id);
  }
  return tenant;
}

async function addIntegration(db: Db, dealerId: string, name: string): Promise<{ integrationId: string; key: string }> {
  const [row] = await db<IntegrationRow>('integrations')
    .insert({ dealer_id: dealerId, kind: 'custom', name })
    .returning('*');
  const integrationId = (row as IntegrationRow).id;
  const { key } = await createApiKey(db, { integrationId, livemode: false, name: 'bench' });
  return { integrationId, key };
}

/** Through the public API when the route exists; otherwise straight into the table. */
async function createEndpoint(
  opts: { db: Db; secretsKey: Buffer; apiUrl: string },
  tenant: Pick<Tenant, 'key' | 'dealerId' | 'integrationId'>,
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

/** One event through the public API, the tenant's way; resolves to its id. */
export async function publish(apiUrl: string, tenant: Tenant, ledger: Ledger, db: Db): Promise<string> {
  return tenant.publish === 'ping' ? publishPing(apiUrl, tenant, ledger) : publishOrder(apiUrl, tenant, ledger, db);
}

/**
 * An order posted through the public API. The answer is the order; its event ids come from
 * the events table (committed before the answer), each owed to every receiving endpoint.
 */
export async function publishOrder(apiUrl: string, tenant: Tenant, ledger: Ledger, db: Db): Promise<string> {
  const res = await request(`${apiUrl}/api/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(orderBody()),
    dispatcher: loadAgent,
  });
  const text = await res.body.text();
  const answeredAt = Date.now();
  if (res.statusCode >= 300) throw new HttpStatusError(res.statusCode);
  const order = JSON.parse(text) as { id: string };
  const rows = (await db('events')
    .where({ dealer_id: tenant.dealerId })
    .whereRaw("data->'object'->>'id' = ?", [order.id])
    .select('id')) as { id: string }[];
  if (rows.length === 0) throw new Error('the order caused no event');
  for (const r of rows) ledger.expect(r.id, tenant.endpointIds, answeredAt);
  return (rows[0] as { id: string }).id;
}

/** A fresh order each time (orders are idempotent on external_id); its SKU matches no listing. */
export function orderBody() {
  return {
    external_id: `bench-${randomUUID()}`,
    total_amount: 1_500_000,
    currency: 'USD',
    buyer: { name: 'Bench Buyer', email: 'buyer@example.test', country: 'US' },
    line_items: [{ sku: `BENCH-${randomUUID().slice(0, 8)}`, quantity: 1, unit_amount: 1_500_000 }],
    ordered_at: new Date().toISOString(),
  };
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
