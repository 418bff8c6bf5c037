import type { EndpointRow } from '../../domain/webhooks/endpoint-store';
import type { Page } from '../../domain/platform/pagination';
import { presentPage } from './list';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Never includes a secret: only the create and rotate responses add one, explicitly. */
export function presentEndpoint(row: EndpointRow) {
  return {
    id: row.id,
    object: 'webhook_endpoint' as const,
    livemode: row.livemode,
    integration_id: row.integration_id,
    url: row.url,
    description: row.description,
    enabled_events: row.enabled_events,
    status: row.status,
    disabled_reason: row.disabled_reason,
    disabled_at: iso(row.disabled_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export const presentEndpointList = (page: Page<EndpointRow>) => presentPage(page, presentEndpoint);

export const presentDeletedEndpoint = (row: EndpointRow) => ({
  id: row.id,
  object: 'webhook_endpoint' as const,
  livemode: row.livemode,
  deleted: true as const,
});
