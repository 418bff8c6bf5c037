// Data access for webhook endpoints and their signing secrets. Management (routes, rotation
// policy, URL rules) builds on this; delivery reads endpoints and secrets at send time.
import type { Queryable } from '../lib/db';
import { prefixedId, randomBase62 } from '../lib/ids';
import type { EventType } from './event-types';
import { openSecret, sealSecret } from './secret-box';

export interface EndpointRow {
  id: string;
  seq: string;
  dealer_id: string;
  integration_id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  enabled_events: string[];
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface SecretRow {
  id: string;
  endpoint_id: string;
  ciphertext: Buffer;
  created_at: Date;
  expires_at: Date | null;
}

/** `whsec_` + 32 base62 characters; shown once, stored sealed. */
export const newSigningSecret = (): string => `whsec_${randomBase62(32)}`;

/** `*`, `namespace.*` or an exact type. */
export function matchesSubscription(enabledEvents: readonly string[], type: EventType | string): boolean {
  const namespace = type.split('.')[0];
  return enabledEvents.some((e) => e === '*' || e === type || e === `${namespace}.*`);
}

export async function insertEndpoint(
  db: Queryable,
  key: Buffer,
  input: {
    dealerId: string;
    integrationId: string;
    livemode: boolean;
    url: string;
    description?: string | null;
    enabledEvents?: string[];
  },
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const [endpoint] = await db<EndpointRow>('webhook_endpoints')
    .insert({
      id: prefixedId('we'),
      dealer_id: input.dealerId,
      integration_id: input.integrationId,
      livemode: input.livemode,
      url: input.url,
      description: input.description ?? null,
      enabled_events: input.enabledEvents ?? ['*'],
    })
    .returning('*');
  const secret = await addSecret(db, key, (endpoint as EndpointRow).id);
  return { endpoint: endpoint as EndpointRow, secret };
}

export async function addSecret(db: Queryable, key: Buffer, endpointId: string): Promise<string> {
  const secret = newSigningSecret();
  await db('webhook_endpoint_secrets').insert({ endpoint_id: endpointId, ciphertext: sealSecret(key, secret) });
  return secret;
}

/** Secrets valid at `at`, newest first: the active one, then any still in their grace period. */
export async function validSecrets(
  db: Queryable,
  key: Buffer,
  endpointId: string,
  at: Date = new Date(),
): Promise<string[]> {
  const rows = await db<SecretRow>('webhook_endpoint_secrets')
    .where({ endpoint_id: endpointId })
    .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', at))
    .orderBy('created_at', 'desc');
  return rows.map((r) => openSecret(key, r.ciphertext));
}

export async function findEndpoint(db: Queryable, id: string): Promise<EndpointRow | undefined> {
  return db<EndpointRow>('webhook_endpoints').where({ id }).first();
}
