import type { z } from 'zod';
import type { ListingRow } from '../../domain/commerce/listings';
import type { ListingSchema } from '../schemas/listings';

export function presentListing(row: ListingRow): z.infer<typeof ListingSchema> {
  return {
    id: row.id,
    object: 'listing',
    livemode: row.livemode,
    brand: row.brand,
    model: row.model,
    reference: row.reference,
    year: row.year,
    condition: row.condition,
    price: { amount: Number(row.price_amount), currency: row.price_currency },
    photos: row.photos,
    status: row.status,
    published: row.custom_channel,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
