import { z } from '../openapi/zod';
import { isValidSubscription, SUBSCRIPTION_HINT } from '../../domain/webhooks/endpoint-service';
import { MAX_ROTATION_GRACE_MS, DEFAULT_ROTATION_GRACE_MS } from '../../domain/webhooks/endpoint-store';
import { MAX_URL_LENGTH } from '../../lib/address-policy';

const EventSubscription = z.string().refine(isValidSubscription, {
  error: (issue) => `'${String(issue.input)}' is not an event type; use ${SUBSCRIPTION_HINT}.`,
});

const EnabledEvents = z
  .array(EventSubscription)
  .min(1)
  .max(32)
  .openapi({
    description: "Events to deliver: `*` (all), `<namespace>.*` or exact types. Defaults to `['*']`.",
    example: ['listing.*', 'order.received'],
  });

const Url = z.string().min(1).max(MAX_URL_LENGTH).openapi({
  description: 'Where events are POSTed. HTTPS in live mode; private, loopback and link-local addresses are refused.',
  example: 'https://hooks.example.com/wth',
});

const Description = z.string().max(500).nullable();

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: 'we_4f0c2Q9xYb8LmN1pR7sT3uVw' }),
    object: z.literal('webhook_endpoint'),
    livemode: z.boolean(),
    integration_id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    enabled_events: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']),
    disabled_reason: z.string().nullable(),
    disabled_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('WebhookEndpoint');

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description: 'The signing secret (`whsec_…`). Shown only in this response: store it now.',
    example: 'whsec_7Q2mYb9xLcN4pR8sT1uVw3Zk5Ha6Jd0F',
  }),
}).openapi('WebhookEndpointWithSecret');

export const RotatedWebhookEndpointSchema = WebhookEndpointWithSecretSchema.extend({
  previous_secrets_expire_at: z.string().openapi({
    description: 'Until then deliveries are signed with the new and the previous secrets.',
  }),
}).openapi('RotatedWebhookEndpoint');

export const WebhookEndpointListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(WebhookEndpointSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .openapi('WebhookEndpointList');

export const DeletedWebhookEndpointSchema = z
  .object({ id: z.string(), object: z.literal('webhook_endpoint'), livemode: z.boolean(), deleted: z.literal(true) })
  .openapi('DeletedWebhookEndpoint');

export const CreateWebhookEndpointBody = z
  .strictObject({ url: Url, description: Description.optional(), enabled_events: EnabledEvents.optional() })
  .openapi('CreateWebhookEndpoint');

export const DashboardCreateWebhookEndpointBody = CreateWebhookEndpointBody.extend({
  livemode: z.boolean().default(false),
}).openapi('DashboardCreateWebhookEndpoint');

export const UpdateWebhookEndpointBody = z
  .strictObject({
    url: Url.optional(),
    description: Description.optional(),
    enabled_events: EnabledEvents.optional(),
    status: z.enum(['enabled', 'disabled']).optional().openapi({
      description: 'Disable to pause deliveries; enabling again clears `disabled_reason`.',
    }),
  })
  .openapi('UpdateWebhookEndpoint');

export const RotateSecretBody = z
  .strictObject({
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_ROTATION_GRACE_MS / 1000)
      .default(DEFAULT_ROTATION_GRACE_MS / 1000)
      .openapi({ description: 'How long the previous secrets stay valid; 0 retires them now.' }),
  })
  .openapi('RotateWebhookEndpointSecret');

export const EndpointIdParams = z.object({ id: z.string().min(1).max(64) });
export const DashboardIntegrationParams = z.object({ integrationId: z.uuid() });
export const DashboardEndpointParams = DashboardIntegrationParams.extend({ id: z.string().min(1).max(64) });

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  starting_after: z.string().min(1).max(64).optional(),
});

export const DashboardListQuery = ListQuery.extend({
  livemode: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
