import { z } from '../openapi/zod';

export const MeSchema = z
  .object({
    object: z.literal('identity'),
    livemode: z.boolean(),
    dealer: z.object({ id: z.uuid(), name: z.string() }),
    integration: z.object({ id: z.uuid(), name: z.string(), live_enabled: z.boolean() }),
    api_key: z.object({ id: z.uuid(), prefix: z.string() }),
  })
  .openapi('Identity');
