import { z } from '../openapi/zod';
import { listOf, PageQueryShape } from './list';
import { AmountSchema, CurrencySchema } from './money';

const BuyerSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. US'),
  })
  .strict()
  .openapi('Buyer');

const LineItemSchema = z
  .object({
    sku: z.string().trim().min(1).max(100).openapi({ description: 'Matched against listing references.' }),
    quantity: z.number().int().min(1).max(10_000),
    unit_amount: AmountSchema,
  })
  .strict()
  .openapi('LineItem');

export const OrderCreateSchema = z
  .object({
    external_id: z.string().trim().min(1).max(255).openapi({ description: 'Your order id; repeats are idempotent.' }),
    total_amount: AmountSchema,
    currency: CurrencySchema,
    buyer: BuyerSchema,
    line_items: z.array(LineItemSchema).min(1).max(100),
    ordered_at: z.iso.datetime({ offset: true }),
  })
  .strict()
  .openapi('OrderCreate');

const OrderStatusSchema = z.enum(['pending', 'fulfilled', 'cancelled']);

/** `order.received`'s `data.object`, exactly as the event catalog documents it. */
export const OrderEventObjectSchema = z
  .object({
    id: z.uuid(),
    object: z.literal('order'),
    external_id: z.string(),
    status: OrderStatusSchema,
    total_amount: z.number().int(),
    currency: z.string(),
    buyer: BuyerSchema.nullable(),
    line_items: z.array(LineItemSchema),
    ordered_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi('OrderEventObject');

/** `order.fulfilled` / `order.cancelled`'s `data.object`: the new status. */
export const OrderStatusEventObjectSchema = z
  .object({ id: z.uuid(), object: z.literal('order'), status: OrderStatusSchema })
  .openapi('OrderStatusEventObject');

export const OrderSchema = OrderEventObjectSchema.extend({
  livemode: z.boolean(),
  matched_listing_id: z.uuid().nullable().openapi({ description: 'The listing this order sold, if any.' }),
  updated_at: z.iso.datetime(),
}).openapi('Order');

export const OrderListSchema = listOf(OrderSchema, 'OrderList');

export const OrderListQuerySchema = z.object({ ...PageQueryShape, status: OrderStatusSchema.optional() }).strict();
