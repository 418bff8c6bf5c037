import type { z as zod } from 'zod';
import { z } from '../openapi/zod';

/** `{ object: 'list', data, has_more, next_cursor }` around one item schema. */
export function listOf<T extends zod.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      has_more: z.boolean(),
      next_cursor: z.string().nullable().openapi({ description: 'Pass as `starting_after` for the next page.' }),
    })
    .openapi(name);
}

export const PageQueryShape = {
  limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: '1 to 100, default 10.' }),
  starting_after: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: 'An object id from a previous page (its `next_cursor`): the page starts after it.' }),
};

export const PageQuerySchema = z.object(PageQueryShape).strict();

/** Dashboard lists read one mode at a time; test data is the default. */
export const LivemodeQueryShape = {
  livemode: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Which mode to read: `true` for live rows, `false` (default) for test rows.' }),
};

export const IdParamsSchema = z.object({ id: z.string().min(1) });

export const toPage = (q: { limit: number; starting_after?: string }) => ({
  limit: q.limit,
  ...(q.starting_after ? { startingAfter: q.starting_after } : {}),
});
