import { z } from '../openapi/zod';

export const AmountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case, e.g. EUR')
  .openapi({ example: 'EUR' });

export const MoneySchema = z
  .object({
    amount: AmountSchema.openapi({ description: 'Minor units (cents).', example: 1199000 }),
    currency: CurrencySchema,
  })
  .strict()
  .openapi('Money');
