import { createHash, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../lib/db';
import { randomBase62 } from '../../lib/ids';

export const API_KEY_PATTERN = /^wth_[0-9A-Za-z]{32}$/;

export interface ApiKeyRow {
  id: string;
  integration_id: string;
  livemode: boolean;
  prefix: string;
  key_hash: string;
  name: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Returns the full key exactly once; only its prefix and hash are stored. */
export async function createApiKey(
  db: Queryable,
  input: { integrationId: string; livemode: boolean; name?: string | null },
): Promise<{ key: string; row: ApiKeyRow }> {
  const key = `wth_${randomBase62(32)}`;
  const [row] = await db<ApiKeyRow>('api_keys')
    .insert({
      integration_id: input.integrationId,
      livemode: input.livemode,
      prefix: key.slice(0, 12),
      key_hash: hashApiKey(key),
      name: input.name ?? null,
    })
    .returning('*');
  return { key, row: row as ApiKeyRow };
}

export interface KeyIdentity {
  apiKeyId: string;
  keyPrefix: string;
  livemode: boolean;
  integrationId: string;
  integrationName: string;
  integrationLiveEnabled: boolean;
  dealerId: string;
  dealerName: string;
  lastUsedAt: Date | null;
}

/** Looks a key up by its hash; the final comparison is constant-time. */
export async function findKeyIdentity(db: Queryable, key: string): Promise<KeyIdentity | null> {
  return API_KEY_PATTERN.test(key) ? findKeyIdentityByHash(db, hashApiKey(key)) : null;
}

export async function findKeyIdentityByHash(db: Queryable, hash: string): Promise<KeyIdentity | null> {
  const row = await db('api_keys as k')
    .join('integrations as i', 'i.id', 'k.integration_id')
    .join('dealers as d', 'd.id', 'i.dealer_id')
    .where('k.key_hash', hash)
    .whereNull('k.revoked_at')
    .where('i.kind', 'custom')
    .first(
      'k.id',
      'k.key_hash',
      'k.prefix',
      'k.livemode',
      'k.last_used_at',
      'i.id as integration_id',
      'i.name as integration_name',
      'i.live_enabled',
      'd.id as dealer_id',
      'd.name as dealer_name',
    );
  if (!row) return null;
  if (!timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  return {
    apiKeyId: row.id,
    keyPrefix: row.prefix,
    livemode: row.livemode,
    integrationId: row.integration_id,
    integrationName: row.integration_name,
    integrationLiveEnabled: row.live_enabled,
    dealerId: row.dealer_id,
    dealerName: row.dealer_name,
    lastUsedAt: row.last_used_at,
  };
}

/**
 * Throttled so a busy key costs one write a minute, not one per request. Marks `identity` as
 * used before writing, so requests sharing a cached identity do not all write.
 */
export async function touchApiKey(db: Queryable, identity: KeyIdentity): Promise<void> {
  if (identity.lastUsedAt && Date.now() - identity.lastUsedAt.getTime() < 60_000) return;
  identity.lastUsedAt = new Date();
  await db('api_keys').where({ id: identity.apiKeyId }).update({ last_used_at: db.fn.now() });
}
