// The dealer's Custom Integrations and their keys, as the dashboard manages them. Another
// dealer's integration is "not found", never "forbidden": ids do not leak across dealers.
import type { Queryable } from '../../lib/db';
import { NotFoundError } from '../errors';
import { createApiKey, type ApiKeyRow } from './api-keys';
import type { IntegrationRow } from './dealers';

export async function listCustomIntegrations(db: Queryable, dealerId: string): Promise<IntegrationRow[]> {
  return db<IntegrationRow>('integrations')
    .where({ dealer_id: dealerId, kind: 'custom' })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
}

export async function createCustomIntegration(db: Queryable, dealerId: string, name: string): Promise<IntegrationRow> {
  const [row] = await db<IntegrationRow>('integrations')
    .insert({ dealer_id: dealerId, kind: 'custom', name })
    .returning('*');
  return row as IntegrationRow;
}

export async function getCustomIntegration(db: Queryable, dealerId: string, id: string): Promise<IntegrationRow> {
  const row = await db<IntegrationRow>('integrations').where({ id, dealer_id: dealerId, kind: 'custom' }).first();
  if (!row) throw new NotFoundError('integration', id, 'id');
  return row;
}

/** Live keys work only while this is on; test keys always work. */
export async function setIntegrationLive(
  db: Queryable,
  dealerId: string,
  id: string,
  live: boolean,
): Promise<IntegrationRow> {
  const [row] = await db<IntegrationRow>('integrations')
    .where({ id, dealer_id: dealerId, kind: 'custom' })
    .update({ live_enabled: live, updated_at: db.fn.now() })
    .returning('*');
  if (!row) throw new NotFoundError('integration', id, 'id');
  return row as IntegrationRow;
}

export async function listIntegrationKeys(
  db: Queryable,
  dealerId: string,
  integrationId: string,
): Promise<ApiKeyRow[]> {
  await getCustomIntegration(db, dealerId, integrationId);
  return db<ApiKeyRow>('api_keys')
    .where({ integration_id: integrationId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
}

export async function generateIntegrationKey(
  db: Queryable,
  dealerId: string,
  integrationId: string,
  input: { livemode: boolean; name?: string | null },
): Promise<{ key: string; row: ApiKeyRow }> {
  await getCustomIntegration(db, dealerId, integrationId);
  return createApiKey(db, { integrationId, livemode: input.livemode, name: input.name ?? null });
}

/**
 * Takes effect on the next request: API processes cache key lookups only while they hear
 * `wth_auth_changed`, which this update notifies at commit (migration 20261201050000).
 */
export async function revokeIntegrationKey(
  db: Queryable,
  dealerId: string,
  integrationId: string,
  keyId: string,
): Promise<ApiKeyRow> {
  await getCustomIntegration(db, dealerId, integrationId);
  const [revoked] = await db<ApiKeyRow>('api_keys')
    .where({ id: keyId, integration_id: integrationId })
    .update({ revoked_at: db.raw('coalesce(revoked_at, now())') as unknown as Date })
    .returning('*');
  if (!revoked) throw new NotFoundError('api_key', keyId, 'keyId');
  return revoked as ApiKeyRow;
}
