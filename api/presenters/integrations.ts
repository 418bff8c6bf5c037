import type { ApiKeyRow } from '../../domain/accounts/api-keys';
import type { IntegrationRow } from '../../domain/accounts/dealers';

export const presentIntegration = (row: IntegrationRow) => ({
  object: 'integration' as const,
  id: row.id,
  kind: 'custom' as const,
  name: row.name,
  live_enabled: row.live_enabled,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/** Never the hash: only what lets a dealer recognise a key. */
export const presentApiKey = (row: ApiKeyRow) => ({
  object: 'api_key' as const,
  id: row.id,
  integration_id: row.integration_id,
  name: row.name,
  prefix: row.prefix,
  livemode: row.livemode,
  created_at: row.created_at.toISOString(),
  last_used_at: row.last_used_at?.toISOString() ?? null,
  revoked_at: row.revoked_at?.toISOString() ?? null,
});

export const fullList = <T>(data: T[]) => ({ object: 'list' as const, data, has_more: false, next_cursor: null });
