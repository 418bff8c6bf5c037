import type { z } from 'zod';
import { customerEventObject, type UpsertResult } from '../../domain/commerce/customers';
import type { CustomerSchema } from '../schemas/customers';

export function presentCustomer(r: UpsertResult): z.infer<typeof CustomerSchema> {
  return {
    ...customerEventObject(r.row, r.matchedExisting),
    livemode: r.row.livemode,
    updated_at: r.row.updated_at.toISOString(),
  };
}
