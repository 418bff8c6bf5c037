import { z } from '../openapi/zod';
import { EVENT_TYPES } from '../../domain/events/catalog';
import type { DeliveryFilter } from '../../domain/webhooks/delivery-service';
import { EventEnvelopeSchema } from './events';
import { LivemodeQueryShape, listOf, PageQueryShape } from './list';

const isoTime = z.iso.datetime({ offset: true });

export const DeliveryAttemptSchema = z
  .object({
    attempt_number: z.int().min(1),
    trigger: z.enum(['automatic', 'manual', 'operator']).openapi({
      description:
        '`automatic` (the retry schedule), `manual` (a re-send asked for through the API or dashboard) or `operator` (replayed by an operator from Temporal).',
    }),
    started_at: isoTime,
    duration_ms: z.int(),
    status_code: z.int().nullable().openapi({ description: 'HTTP status; null when no answer came.' }),
    error: z.string().nullable().openapi({ description: 'Network error (timeout, refused, TLS…) or redirect.' }),
    response_body_preview: z.string().nullable().openapi({ description: 'First bytes of the response body.' }),
    signature_header: z.string().openapi({ description: 'The WTH-Signature header sent.' }),
    request_headers: z.record(z.string(), z.string()).openapi({
      description: 'The request headers sent with this attempt; signature values are masked.',
    }),
  })
  .openapi('DeliveryAttempt');

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ example: 'dlv_3bP0mXk2cV9rT4wQ1yZ8aN5e' }),
    object: z.literal('delivery'),
    livemode: z.boolean(),
    event_id: z.string(),
    event_type: z.string(),
    endpoint_id: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempt_count: z.int(),
    next_attempt_at: isoTime.nullable(),
    last_attempt_at: isoTime.nullable(),
    last_status_code: z.int().nullable(),
    status_reason: z.string().nullable().openapi({
      description:
        'Why the delivery ended when no attempt says so, e.g. its workflow was terminated by an operator; null otherwise.',
    }),
    created_at: isoTime,
    attempts: z.array(DeliveryAttemptSchema).optional().openapi({ description: 'Only on a single delivery.' }),
  })
  .openapi('Delivery');

export const DeliveryListSchema = listOf(DeliverySchema, 'DeliveryList');

export const DashboardDeliverySchema = DeliverySchema.extend({
  attempts: z.array(DeliveryAttemptSchema),
  event: EventEnvelopeSchema.openapi({ description: 'The event, exactly as the delivery sends it.' }),
}).openapi('DashboardDelivery');

export const DeliveryIdParams = z.object({ id: z.string().min(1).max(64) });
// The endpoint routes' own schema: the recover route addresses the same endpoints.
export { EndpointIdParams } from './webhook-endpoints';

/**
 * An ISO 8601 timestamp with an offset, as a Date. Not z.coerce.date(): that accepts numbers
 * and strings like "12345" (the year 12345), so a wrong type would pass silently.
 */
const isoTimeInput = (description: string) =>
  z.iso
    .datetime({ offset: true })
    .openapi({ description, example: '2026-05-08T08:41:16Z' })
    .transform((s) => new Date(s));

/** One value or the parameter repeated (`?status=failed&status=pending`): any of them matches. */
const oneOrMany = <T extends z.ZodType>(item: T, description: string) =>
  z
    .union([item, z.array(item).max(20)])
    .optional()
    .openapi({ description })
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]));

const DeliveryFilterShape = {
  endpoint_id: z.string().max(64).optional(),
  event_id: z.string().max(64).optional(),
  status: oneOrMany(
    z.enum(['pending', 'succeeded', 'failed']),
    'Only deliveries in this status; repeat the parameter for several.',
  ),
  event_type: oneOrMany(z.enum(EVENT_TYPES), 'Only deliveries of this event type; repeat the parameter for several.'),
  'created[gte]': isoTimeInput('Created at or after (ISO 8601).').optional(),
  'created[lte]': isoTimeInput('Created at or before (ISO 8601).').optional(),
  ...PageQueryShape,
};

export const DeliveryListQuery = z.object(DeliveryFilterShape).strict();
export const DashboardDeliveryListQuery = z
  .object({
    ...DeliveryFilterShape,
    ...LivemodeQueryShape,
    integration_id: z
      .uuid()
      .optional()
      .openapi({ description: "Only deliveries to this integration's endpoints (an integration's Delivery Log tab)." }),
  })
  .strict();
/** Dashboard reads and actions are per mode: `?livemode=true|false`, test by default. */
export const LivemodeQuery = z.object(LivemodeQueryShape).strict();

/** The query's filters in the domain's terms. */
export const toDeliveryFilter = (
  q: z.infer<typeof DeliveryListQuery>,
): Omit<DeliveryFilter, 'limit' | 'startingAfter'> => ({
  endpointId: q.endpoint_id,
  eventId: q.event_id,
  statuses: q.status,
  eventTypes: q.event_type,
  createdGte: q['created[gte]'],
  createdLte: q['created[lte]'],
});

export const RecoverBody = z
  .object({
    since: isoTimeInput('Re-send failed deliveries created at or after this time.'),
    dry_run: z.boolean().optional().openapi({
      description: 'Only count what would be re-sent (answers 200 with `status: preview`); nothing is started.',
    }),
  })
  .strict();

export const RecoveryIdParams = z.object({ id: z.string().min(1).max(64) });

export const RecoverySchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Null for a dry run.', example: 'rcv_3bP0mXk2cV9rT4wQ1yZ8aN5e' }),
    object: z.literal('recovery'),
    endpoint_id: z.string(),
    since: isoTime,
    status: z.enum(['preview', 'running', 'completed']).openapi({
      description: '`preview` (dry run), `running` (re-sending in the background) or `completed`.',
    }),
    count: z.int().openapi({ description: 'How many failed deliveries it re-sends (fixed when it was asked for).' }),
    resent: z.int().openapi({ description: 'How many of them were re-sent so far.' }),
    created_at: isoTime.nullable(),
    completed_at: isoTime.nullable(),
  })
  .openapi('Recovery');

/** `POST /events/{id}/resend`: the deliveries it started again. */
export const EventResendSchema = z
  .object({ object: z.literal('event_resend'), event_id: z.string(), deliveries: z.array(DeliverySchema) })
  .openapi('EventResend');
