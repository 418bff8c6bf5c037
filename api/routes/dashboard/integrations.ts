import {
  createCustomIntegration,
  generateIntegrationKey,
  listCustomIntegrations,
  listIntegrationKeys,
  revokeIntegrationKey,
  setIntegrationLive,
} from '../../../domain/accounts/integrations';
import { integrationWithOnboarding } from '../../../domain/accounts/integration-onboarding';
import { fullList, presentApiKey, presentIntegration } from '../../presenters/integrations';
import type { ApiRouter } from '../../route';
import {
  ApiKeyListSchema,
  ApiKeyParamsSchema,
  ApiKeySchema,
  CreateApiKeyBodySchema,
  IntegrationDetailSchema,
  CreateIntegrationBodySchema,
  IntegrationListSchema,
  IntegrationModeBodySchema,
  IntegrationParamsSchema,
  IntegrationSchema,
  NewApiKeySchema,
} from '../../schemas/dashboard';

export function integrationRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/integrations',
    operationId: 'dashboardListIntegrations',
    summary: "The dealer's Custom Integrations",
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    response: IntegrationListSchema,
    handler: async ({ auth, deps }) =>
      fullList((await listCustomIntegrations(deps.db, auth.dealerId)).map(presentIntegration)),
  });

  r.add({
    method: 'post',
    path: '/integrations',
    operationId: 'dashboardCreateIntegration',
    summary: 'Create a Custom Integration (in test mode)',
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    body: CreateIntegrationBodySchema,
    response: IntegrationSchema,
    handler: async ({ auth, body, deps }) =>
      presentIntegration(await createCustomIntegration(deps.db, auth.dealerId, body.name)),
  });

  r.add({
    method: 'get',
    path: '/integrations/:id',
    operationId: 'dashboardGetIntegration',
    summary: 'One Custom Integration with its getting-started checklist',
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    params: IntegrationParamsSchema,
    response: IntegrationDetailSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => {
      const { integration, onboarding } = await integrationWithOnboarding(deps.db, auth.dealerId, params.id);
      return { ...presentIntegration(integration), onboarding };
    },
  });

  r.add({
    method: 'post',
    path: '/integrations/:id/mode',
    operationId: 'dashboardSetIntegrationMode',
    summary: 'Switch a Custom Integration between test and live mode',
    description: 'Live keys are refused with 403 `livemode_disabled` while `live_enabled` is false.',
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    params: IntegrationParamsSchema,
    body: IntegrationModeBodySchema,
    response: IntegrationSchema,
    errors: [404],
    handler: async ({ auth, params, body, deps }) => {
      const integration = await setIntegrationLive(deps.db, auth.dealerId, params.id, body.live);
      // Other API processes drop cached keys on the commit's notification; this one before answering.
      deps.keyCache.invalidate();
      return presentIntegration(integration);
    },
  });

  r.add({
    method: 'get',
    path: '/integrations/:id/api_keys',
    operationId: 'dashboardListApiKeys',
    summary: "A Custom Integration's API keys (prefixes only), revoked ones included",
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    params: IntegrationParamsSchema,
    response: ApiKeyListSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) =>
      fullList((await listIntegrationKeys(deps.db, auth.dealerId, params.id)).map(presentApiKey)),
  });

  r.add({
    method: 'post',
    path: '/integrations/:id/api_keys',
    operationId: 'dashboardCreateApiKey',
    summary: 'Generate a test or live API key; the full key is in this response only',
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    params: IntegrationParamsSchema,
    body: CreateApiKeyBodySchema,
    response: NewApiKeySchema,
    errors: [404],
    handler: async ({ auth, params, body, deps }) => {
      const { key, row } = await generateIntegrationKey(deps.db, auth.dealerId, params.id, body);
      return { ...presentApiKey(row), key };
    },
  });

  r.add({
    method: 'post',
    path: '/integrations/:id/api_keys/:keyId/revoke',
    operationId: 'dashboardRevokeApiKey',
    summary: 'Revoke an API key: it stops working with the next request',
    tags: ['Dashboard integrations'],
    auth: 'dashboard',
    params: ApiKeyParamsSchema,
    response: ApiKeySchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => {
      const key = await revokeIntegrationKey(deps.db, auth.dealerId, params.id, params.keyId);
      deps.keyCache.invalidate(); // as for the mode switch above
      return presentApiKey(key);
    },
  });
}
