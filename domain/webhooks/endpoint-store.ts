// Data access for webhook endpoints and their signing secrets. Management (routes, rotation
// policy, URL rules) builds on this; delivery reads endpoints and secrets at send time.
import { NotFoundError, ValidationError } from '../errors';
import type { Queryable } from '../../lib/db';
import { prefixedId, randomBase62 } from '../../lib/ids';
import type { EventType } from '../events/catalog';
import { openSecret, sealSecret } from '../platform/secret-box';

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

export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;
export const MAX_ROTATION_GRACE_MS = 7 * 24 * 3_600_000;
/** Every valid secret adds a `v1=` to each delivery; rapid rotations must not grow it unbounded. */
export const MAX_VALID_SECRETS = 5;

/**
 * A new secret, active at once (returned once, stored sealed); every older secret still valid
 * stops being valid `graceMs` from now (0 = now). An expiry already set by an earlier rotation
 * is never pushed later: a grace period only ever shortens. At most MAX_VALID_SECRETS stay
 * valid (the oldest beyond that retire now), and expired ones are deleted. One transaction,
 * with the endpoint row locked, so concurrent rotations cannot interleave.
 */
export async function rotateSecret(
  db: Queryable,
  key: Buffer,
  endpointId: string,
  graceMs: number = DEFAULT_ROTATION_GRACE_MS,
): Promise<{ secret: string; previousExpireAt: Date }> {
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_ROTATION_GRACE_MS) {
    throw new ValidationError(
      `The grace period must be between 0 and ${MAX_ROTATION_GRACE_MS / 1000} seconds.`,
      'grace_period_seconds',
    );
  }
  return db.transaction(async (trx) => {
    const locked = await trx('webhook_endpoints').where({ id: endpointId }).forUpdate().first('id');
    if (!locked) throw new NotFoundError('webhook_endpoint', endpointId);
    // Application time, like validSecrets' default `at`, so grace 0 is expired on the next read.
    const now = new Date();
    const expireAt = new Date(now.getTime() + graceMs);
    await trx('webhook_endpoint_secrets')
      .where({ endpoint_id: endpointId })
      .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', expireAt))
      .update({ expires_at: expireAt });
    const stillValid = await trx<SecretRow>('webhook_endpoint_secrets')
      .where({ endpoint_id: endpointId })
      .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .orderBy('created_at', 'desc')
      .select('id');
    // The oldest beyond the cap retire now; expired secrets can sign nothing, so they go too.
    const retire = stillValid.slice(MAX_VALID_SECRETS - 1).map((r) => r.id);
    await trx('webhook_endpoint_secrets')
      .where({ endpoint_id: endpointId })
      .where((q) => q.where('expires_at', '<=', now).orWhereIn('id', retire))
      .delete();
    const secret = newSigningSecret();
    // Explicit created_at: now(6) is the transaction's start time and validSecrets orders by it.
    await trx('webhook_endpoint_secrets').insert({
      endpoint_id: endpointId,
      ciphertext: sealSecret(key, secret),
      created_at: trx.raw('clock_timestamp()'),
    });
    return { secret, previousExpireAt: expireAt };
  });
}
