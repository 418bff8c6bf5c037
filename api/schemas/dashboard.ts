import { z } from '../openapi/zod';
import { requiredText } from './text';

const isoDate = z.string().openapi({ format: 'date-time' });

export const LoginBodySchema = z
  .strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) })
  .openapi('DashboardLogin');

export const DashboardSessionSchema = z
  .object({
    object: z.literal('dashboard_session'),
    dealer: z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable() }),
    csrf_token: z.string().openapi({ description: 'Send it as `X-CSRF-Token` on every state-changing request.' }),
    expires_at: isoDate,
  })
  .openapi('DashboardSession');

export const LogoutSchema = z.object({ object: z.literal('dashboard_session'), deleted: z.literal(true) });

export const IntegrationSchema = z
  .object({
    object: z.literal('integration'),
    id: z.uuid(),
    kind: z.literal('custom'),
    name: z.string(),
    live_enabled: z.boolean(),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .openapi('Integration');

export const IntegrationDetailSchema = IntegrationSchema.extend({
  onboarding: z
    .object({
      api_key_created: z.boolean(),
      endpoint_added: z.boolean(),
      test_event_delivered: z.boolean().openapi({
        description: "A test-mode delivery to one of this integration's endpoints answered 2xx.",
      }),
      live: z.boolean(),
    })
    .openapi({
      description: 'The getting-started checklist, computed from the integration’s keys, endpoints and deliveries.',
    }),
}).openapi('IntegrationDetail');

export const IntegrationListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(IntegrationSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .openapi('IntegrationList');

export const CreateIntegrationBodySchema = z.strictObject({ name: requiredText(200) });
export const IntegrationModeBodySchema = z.strictObject({ live: z.boolean() });
export const IntegrationParamsSchema = z.object({ id: z.uuid() });
export const ApiKeyParamsSchema = z.object({ id: z.uuid(), keyId: z.uuid() });

export const ApiKeySchema = z
  .object({
    object: z.literal('api_key'),
    id: z.uuid(),
    integration_id: z.uuid(),
    name: z.string().nullable(),
    prefix: z.string().openapi({ description: 'The first 12 characters, enough to recognise the key.' }),
    livemode: z.boolean(),
    created_at: isoDate,
    last_used_at: isoDate.nullable(),
    revoked_at: isoDate.nullable(),
  })
  .openapi('ApiKey');

export const NewApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The full key. Shown only in this response: store it now.' }),
}).openapi('NewApiKey');

export const ApiKeyListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(ApiKeySchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .openapi('ApiKeyList');

export const CreateApiKeyBodySchema = z.strictObject({
  livemode: z.boolean(),
  name: requiredText(200).nullable().optional(),
});
