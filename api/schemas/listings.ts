import { z } from '../openapi/zod';
import { requiredText } from './text';
import { listOf } from './list';
import { MoneySchema } from './money';

export const ListingSchema = z
  .object({
    id: z.uuid(),
    object: z.literal('listing'),
    livemode: z.boolean(),
    brand: z.string(),
    model: z.string(),
    reference: z.string(),
    year: z.number().int().nullable(),
    condition: z.string(),
    price: MoneySchema,
    photos: z.array(z.string()),
    status: z.enum(['in_stock', 'sold']),
    published: z.boolean().openapi({ description: 'Published to the Custom Integration channel.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('Listing');

export const ListingListSchema = listOf(ListingSchema, 'ListingList');

const text = requiredText;

const attributes = {
  brand: text(100),
  model: text(200),
  reference: text(100).openapi({ description: 'The maker’s reference; order line item SKUs match it.' }),
  year: z.number().int().min(1800).max(2100).nullable(),
  condition: text(50),
  price: MoneySchema,
  photos: z.array(z.url({ protocol: /^https?$/ }).max(2048)).max(50),
};

export const ListingCreateSchema = z
  .object({ ...attributes, year: attributes.year.optional(), photos: attributes.photos.optional() })
  .strict()
  .openapi('ListingCreate');

export const ListingPatchSchema = z
  .object({
    brand: attributes.brand.optional(),
    model: attributes.model.optional(),
    reference: attributes.reference.optional(),
    year: attributes.year.optional(),
    condition: attributes.condition.optional(),
    price: attributes.price.optional(),
    photos: attributes.photos.optional(),
  })
  .strict()
  .openapi('ListingPatch');
