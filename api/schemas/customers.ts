import { z } from '../openapi/zod';
import { requiredText, optionalText } from './text';
import { EmailSchema } from './email';
import { CustomerMatchedObjectSchema } from './events';

export const CustomerUpsertSchema = z
  .object({
    external_id: requiredText(255).optional(),
    email: EmailSchema.optional(),
    name: optionalText(200).nullable().optional(),
    phone: optionalText(50).nullable().optional(),
    accepts_marketing: z.boolean().optional(),
  })
  .strict()
  .refine((c) => c.external_id !== undefined || c.email !== undefined, {
    message: 'give external_id or email (or both) to match on',
    path: ['external_id'],
  })
  .openapi('CustomerUpsert', {
    description:
      'Matched by `external_id`, then by `email` (case-insensitive); otherwise created. At least one of the two is required.',
    anyOf: [{ required: ['external_id'] }, { required: ['email'] }],
  });

/** The catalog's `customer.matched` object, plus mode and last change (not `.extend()`: see OrderSchema). */
export const CustomerSchema = z
  .object({ ...CustomerMatchedObjectSchema.shape, livemode: z.boolean(), updated_at: z.iso.datetime() })
  .openapi('Customer');

export const MAX_BULK_ITEMS = 500;

// Items are validated one by one (an invalid item is answered in place, not with a 400 for
// the whole request); the document still shows what an item must look like.
export const CustomerBulkSchema = z
  .object({
    items: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BULK_ITEMS)
      .openapi({
        type: 'array',
        items: { $ref: '#/components/schemas/CustomerUpsert' },
        minItems: 1,
        maxItems: MAX_BULK_ITEMS,
      }),
  })
  .strict()
  .openapi('CustomerBulk');

const ItemErrorSchema = z.object({
  type: z.string(),
  code: z.string(),
  message: z.string(),
  param: z.string().optional(),
});

export const CustomerBulkResultSchema = z
  .object({
    object: z.literal('customer_bulk_result'),
    data: z.array(
      z.object({
        index: z.number().int(),
        status: z.enum(['created', 'matched', 'error']),
        customer: CustomerSchema.optional(),
        error: ItemErrorSchema.optional(),
      }),
    ),
  })
  .openapi('CustomerBulkResult');
