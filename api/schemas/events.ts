// The event envelope and, per event type, the exact `data.object` of the event catalog
// (shared/seeds/000_*). GET /events returns EventEnvelopeSchema; each webhook in the OpenAPI
// document uses its type's own envelope. Strict objects: the document says
// `additionalProperties: false`, so a payload drifting from the catalog fails contract checks.
import { EVENT_TYPES, type EventType } from '../../domain/events/catalog';
import type { EventEnvelope } from '../../domain/events/event-store';
import { z } from '../openapi/zod';
import { listOf, PageQueryShape } from './list';

const isoDate = z.string().openapi({ format: 'date-time', example: '2026-05-08T08:41:16.770Z' });

export const ListingRefSchema = z
  .strictObject({ id: z.uuid(), object: z.literal('listing') })
  .openapi('ListingRef', { description: 'The listing that changed; fetch it with GET /api/v1/listings/{id}.' });

export const OrderReceivedObjectSchema = z
  .strictObject({
    id: z.uuid(),
    object: z.literal('order'),
    external_id: z.string(),
    status: z.enum(['pending', 'fulfilled', 'cancelled']),
    total_amount: z.number().int().openapi({ description: 'Minor units of `currency`.' }),
    currency: z.string().regex(/^[A-Z]{3}$/),
    buyer: z.strictObject({ name: z.string(), email: z.string(), country: z.string() }).nullable(),
    line_items: z.array(z.strictObject({ sku: z.string(), quantity: z.number().int(), unit_amount: z.number().int() })),
    ordered_at: isoDate.nullable(),
    created_at: isoDate,
  })
  .openapi('OrderReceivedObject');

export const OrderStatusObjectSchema = z
  .strictObject({ id: z.uuid(), object: z.literal('order'), status: z.enum(['pending', 'fulfilled', 'cancelled']) })
  .openapi('OrderStatusObject');

export const CustomerMatchedObjectSchema = z
  .strictObject({
    id: z.uuid(),
    object: z.literal('customer'),
    external_id: z.string().nullable(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    matched_existing: z.boolean(),
    accepts_marketing: z.boolean(),
    created_at: isoDate,
  })
  .openapi('CustomerMatchedObject');

export const TestEventObjectSchema = z.strictObject({ message: z.string() }).openapi('TestEventObject');

const listingData = z.strictObject({ object: ListingRefSchema });

/** `data` per event type: `object`, plus `previous_attributes` where the catalog has it. */
export const EVENT_DATA_SCHEMAS = {
  'listing.published': listingData,
  'listing.updated': z.strictObject({
    object: ListingRefSchema,
    previous_attributes: z.record(z.string(), z.unknown()).openapi({
      description: 'Changed fields with their previous values, e.g. `{"price": {"amount": 1199000}}`.',
    }),
  }),
  'listing.unpublished': listingData,
  'listing.sold': listingData,
  'listing.in_stock': listingData,
  'order.received': z.strictObject({ object: OrderReceivedObjectSchema }),
  'order.fulfilled': z.strictObject({
    object: OrderStatusObjectSchema,
    previous_attributes: z.strictObject({ status: z.literal('pending') }),
  }),
  'order.cancelled': z.strictObject({
    object: OrderStatusObjectSchema,
    previous_attributes: z.strictObject({ status: z.enum(['pending', 'fulfilled']) }),
  }),
  'customer.matched': z.strictObject({ object: CustomerMatchedObjectSchema }),
  'integration.test_event': z.strictObject({ object: TestEventObjectSchema }),
} satisfies Record<EventType, z.ZodType>;

const envelopeFields = {
  id: z
    .string()
    .regex(/^evt_[0-9A-Za-z]+$/)
    .openapi({ example: 'evt_4Yb1d8Qm2XcT0aVn7KpR3sLe' }),
  object: z.literal('event'),
  api_version: z.string().openapi({ example: 'v1' }),
  created_at: isoDate,
  livemode: z.boolean(),
};

const schemaName = (type: EventType) =>
  type
    .split(/[._]/)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('') + 'Event';

/** One envelope schema per type, e.g. `ListingUpdatedEvent`. */
export const EVENT_ENVELOPE_SCHEMAS = Object.fromEntries(
  EVENT_TYPES.map((type) => [
    type,
    z
      .strictObject({ ...envelopeFields, type: z.literal(type), data: EVENT_DATA_SCHEMAS[type] })
      .openapi(schemaName(type), { description: `The \`${type}\` event.` }),
  ]),
) as unknown as { [T in EventType]: z.ZodObject };

/**
 * Any event (what GET /events returns), discriminated on `type`. Typed as the domain's
 * EventEnvelope: the per-type schemas are built in a loop, which TypeScript cannot follow.
 */
export const EventEnvelopeSchema = z
  .discriminatedUnion(
    'type',
    EVENT_TYPES.map((t) => EVENT_ENVELOPE_SCHEMAS[t]) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .openapi('Event') as unknown as z.ZodType<EventEnvelope>;

export const EventListSchema = listOf(EventEnvelopeSchema, 'EventList');

export const EventListQuerySchema = z.object({ ...PageQueryShape, type: z.enum(EVENT_TYPES).optional() }).strict();

export const TriggerBody = z
  .strictObject({
    type: z.enum(EVENT_TYPES).openapi({ description: 'The event type to fire.', example: 'listing.published' }),
  })
  .openapi('TriggerTestEvent');

export const TriggerSchema = z
  .object({
    object: z.literal('trigger'),
    type: z.enum(EVENT_TYPES),
    event: EventEnvelopeSchema.openapi({ description: 'The event of the requested type.' }),
    events: z
      .array(z.object({ id: z.string(), type: z.enum(EVENT_TYPES) }))
      .openapi({ description: 'Every event fired, oldest first (the test data it created fires some too).' }),
  })
  .openapi('TriggeredTestEvent');

export const ResendEventBody = z
  .strictObject({
    endpoint_id: z.string().min(1).max(64).optional().openapi({ description: 'Only to this endpoint (`we_…`).' }),
  })
  .openapi('ResendEvent');
