// The dashboard API's shapes, inferred from the very zod schemas the server validates and
// documents with. Type-only imports: nothing from api/ ends up in the bundle.
import type { z } from 'zod';
import type {
  ApiKeySchema,
  DashboardSessionSchema,
  IntegrationDetailSchema,
  IntegrationSchema,
  NewApiKeySchema,
} from '../../../api/schemas/dashboard';
import type {
  RotatedWebhookEndpointSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from '../../../api/schemas/webhook-endpoints';
import type { DeliverySchema, RecoverySchema } from '../../../api/schemas/deliveries';
import type { EventEnvelope } from '../../../domain/events/event-store';

export type DashboardSession = z.infer<typeof DashboardSessionSchema>;
export type Integration = z.infer<typeof IntegrationSchema>;
export type IntegrationDetail = z.infer<typeof IntegrationDetailSchema>;
export type Onboarding = IntegrationDetail['onboarding'];
export type ApiKey = z.infer<typeof ApiKeySchema>;
export type NewApiKey = z.infer<typeof NewApiKeySchema>;
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;
export type RotatedWebhookEndpoint = z.infer<typeof RotatedWebhookEndpointSchema>;
export type Delivery = z.infer<typeof DeliverySchema>;
export type Recovery = z.infer<typeof RecoverySchema>;
export type Event = EventEnvelope;

export interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** The API's one error shape: `{ error: { type, code, message, param? } }`. */
export interface ApiErrorBody {
  type: string;
  code: string;
  message: string;
  param?: string;
}

/** How an endpoint is named on screen: its URL, or the `wth listen` session it stands for. */
export const endpointLabel = (e: Pick<WebhookEndpoint, 'url' | 'listener'>): string =>
  e.url ?? `wth listen: ${e.listener?.name ?? 'listener'}`;
