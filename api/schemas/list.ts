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

/**
 * An integer query parameter, written in decimal digits only: `1e2`, `0x10`, `1.5` and `` are
 * refused (Number() and z.coerce would take the first two), as is a repeated parameter.
 */
export function queryInteger(min: number, max: number) {
  const expected = `expected an integer from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^-?[0-9]{1,15}$/.test(v) ? Number(v) : v),
    z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected }),
  );
}

export const LimitQuery = queryInteger(1, 100).default(10).openapi({ description: '1 to 100, default 10.' });

export const PageQueryShape = {
  limit: LimitQuery,
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
