import type { z } from 'zod';
import { orderEventObject, type OrderRow } from '../../domain/commerce/orders';
import type { OrderSchema } from '../schemas/orders';

export function presentOrder(row: OrderRow): z.infer<typeof OrderSchema> {
  return {
    ...orderEventObject(row),
    livemode: row.livemode,
    matched_listing_id: row.matched_listing_id,
    updated_at: row.updated_at.toISOString(),
  };
}
