import type { z as zod } from 'zod';
import { z } from '../openapi/zod';

export const FiredEventSchema = z
  .object({
    id: z.string().openapi({ example: 'evt_4Yb1d8Qm2XcT0aVn7KpR3sLe' }),
    type: z.string().openapi({ example: 'listing.updated' }),
  })
  .openapi('FiredEvent');

/**
 * A dashboard action's object plus the events it fired (none when nothing changed, or when the
 * change is invisible to integrations, e.g. editing an unpublished listing).
 */
export function withFiredEvents<T extends zod.ZodObject>(schema: T, name: string) {
  return schema
    .extend({
      fired_events: z
        .array(FiredEventSchema)
        .openapi({ description: 'The events this action fired, in order; empty if it fired none.' }),
    })
    .openapi(name);
}
