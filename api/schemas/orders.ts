import { z } from '../openapi/zod';
import { requiredText } from './text';
import { EmailSchema } from './email';
import { ErrorSchema } from '../openapi/common';
import { listOf, PageQueryShape } from './list';
import { AmountSchema, CurrencySchema } from './money';
import { OrderReceivedObjectSchema } from './events';

const BuyerSchema = z
  .object({
    name: requiredText(200),
    email: EmailSchema,
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. US'),
  })
  .strict()
  .openapi('Buyer');

const LineItemSchema = z
  .object({
    sku: requiredText(100).openapi({ description: 'Matched against listing references.' }),
    quantity: z.number().int().min(1).max(10_000),
    unit_amount: AmountSchema,
  })
  .strict()
  .openapi('LineItem');

export const OrderCreateSchema = z
  .object({
    external_id: requiredText(255).openapi({ description: 'Your order id; repeats are idempotent.' }),
    total_amount: AmountSchema,
    currency: CurrencySchema,
    buyer: BuyerSchema,
    line_items: z.array(LineItemSchema).min(1).max(100),
    ordered_at: z.iso.datetime({ offset: true }),
  })
  .strict()
  .openapi('OrderCreate');

/**
 * The catalog's `order.received` object, plus what the API adds: mode, match and last change.
 * Built from its fields rather than `.extend()`: the catalog schema is closed (no additional
 * properties, so webhook payloads cannot drift), and the document would render an extension as
 * an `allOf` with that closed schema, which no body with the extra fields could satisfy.
 */
export const OrderSchema = z
  .object({
    ...OrderReceivedObjectSchema.shape,
    livemode: z.boolean(),
    matched_listing_id: z.uuid().nullable().openapi({ description: 'The listing this order sold, if any.' }),
    updated_at: z.iso.datetime(),
  })
  .openapi('Order');

export const OrderListSchema = listOf(OrderSchema, 'OrderList');

export const OrderListQuerySchema = z
  .object({ ...PageQueryShape, status: z.enum(['pending', 'fulfilled', 'cancelled']).optional() })
  .strict();

/** 409 on POST /orders: the common error, plus the stored order when an external_id collides. */
export const OrderConflictSchema = z
  .object({
    error: ErrorSchema.shape.error.extend({
      order: OrderSchema.optional().openapi({
        description: 'With `order_external_id_conflict`: the order stored under this external_id, unchanged.',
      }),
    }),
  })
  .openapi('OrderConflictError');
