import { toEnvelope } from '../../../domain/events/event-store';
import { getEvent, listEvents } from '../../../domain/events/event-service';
import { z } from '../../openapi/zod';
import { presentPage } from '../../presenters/list';
import type { ApiRouter } from '../../route';
import { EventEnvelopeSchema, EventListQuerySchema, EventListSchema } from '../../schemas/events';
import { IdParamsSchema, LivemodeQueryShape, toPage } from '../../schemas/list';

const ListQuery = EventListQuerySchema.extend(LivemodeQueryShape).strict();
const ModeQuery = z.object(LivemodeQueryShape).strict();

/** The Events page: what happened, newest first, each with the body its deliveries carry. */
export function dashboardEventRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/events',
    operationId: 'dashboardListEvents',
    summary: 'Events of one mode, newest first, from every channel',
    tags: ['Dashboard: events'],
    auth: 'dashboard',
    query: ListQuery,
    response: EventListSchema,
    handler: async ({ auth, query, deps }) =>
      presentPage(
        await listEvents(deps.db, { dealerId: auth.dealerId, livemode: query.livemode }, toPage(query), {
          type: query.type,
        }),
        toEnvelope,
      ),
  });

  r.add({
    method: 'get',
    path: '/events/:id',
    operationId: 'dashboardGetEvent',
    summary: 'One event',
    tags: ['Dashboard: events'],
    auth: 'dashboard',
    params: IdParamsSchema,
    query: ModeQuery,
    response: EventEnvelopeSchema,
    errors: [404],
    handler: async ({ auth, params, query, deps }) =>
      toEnvelope(await getEvent(deps.db, { dealerId: auth.dealerId, livemode: query.livemode }, params.id)),
  });
}
