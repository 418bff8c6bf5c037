import type { ApiRouter } from '../../route';
import { MeSchema } from '../../schemas/me';

export function meRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    summary: 'The authenticated identity: dealer, integration, mode and key prefix',
    tags: ['Identity'],
    auth: 'api_key',
    response: MeSchema,
    handler: async ({ auth }) => ({
      object: 'identity' as const,
      livemode: auth.livemode,
      dealer: { id: auth.dealerId, name: auth.dealerName },
      integration: { id: auth.integrationId, name: auth.integrationName, live_enabled: auth.integrationLiveEnabled },
      api_key: { id: auth.apiKeyId, prefix: auth.keyPrefix },
    }),
  });
}
