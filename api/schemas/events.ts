import { z } from '../openapi/zod';
import { EVENT_TYPES } from '../../domain/event-types';
import { listOf, PageQueryShape } from './list';

export const EventSchema = z
  .object({
    id: z.string().regex(/^evt_/),
    object: z.literal('event'),
    type: z.enum(EVENT_TYPES),
    api_version: z.string(),
    created_at: z.iso.datetime(),
    livemode: z.boolean(),
    data: z.object({
      object: z.record(z.string(), z.unknown()),
      previous_attributes: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Event', { description: 'The envelope every webhook delivery carries.' });

export const EventListSchema = listOf(EventSchema, 'EventList');

export const EventListQuerySchema = z.object({ ...PageQueryShape, type: z.enum(EVENT_TYPES).optional() }).strict();
