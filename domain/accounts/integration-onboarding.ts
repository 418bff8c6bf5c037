// The getting-started checklist of a Custom Integration, computed from real rows every time
// (nothing to keep in sync): key generated → endpoint added → test event delivered → live.
import type { Queryable } from '../../lib/db';
import { getCustomIntegration } from './integrations';
import type { IntegrationRow } from './dealers';

export interface Onboarding {
  api_key_created: boolean;
  endpoint_added: boolean;
  /** A test-mode delivery to one of this integration's endpoints answered 2xx. */
  test_event_delivered: boolean;
  live: boolean;
}

export async function integrationWithOnboarding(
  db: Queryable,
  dealerId: string,
  integrationId: string,
): Promise<{ integration: IntegrationRow; onboarding: Onboarding }> {
  const integration = await getCustomIntegration(db, dealerId, integrationId);
  const [keys, endpoints, delivered] = await Promise.all([
    db('api_keys').where({ integration_id: integrationId }).first(db.raw('1 as one')),
    db('webhook_endpoints').where({ integration_id: integrationId }).first(db.raw('1 as one')),
    db('deliveries as d')
      .join('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .where({ 'e.integration_id': integrationId, 'd.livemode': false, 'd.status': 'succeeded' })
      .first(db.raw('1 as one')),
  ]);
  return {
    integration,
    onboarding: {
      api_key_created: !!keys,
      endpoint_added: !!endpoints,
      test_event_delivered: !!delivered,
      live: integration.live_enabled,
    },
  };
}
