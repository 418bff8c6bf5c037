import { toEnvelope } from '../../../domain/events/event-store';
import { getEvent, listEvents } from '../../../domain/events/event-service';
import { presentPage } from '../../presenters/list';
import type { ApiRouter } from '../../route';
import { EventListQuerySchema, EventListSchema, EventEnvelopeSchema } from '../../schemas/events';
import { IdParamsSchema, toPage } from '../../schemas/list';

export function eventRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/events',
    operationId: 'listEvents',
    summary: 'Events of this dealer and mode, newest first',
    tags: ['Events'],
    auth: 'api_key',
    query: EventListQuerySchema,
    response: EventListSchema,
    handler: async ({ auth, query, deps }) =>
      presentPage(await listEvents(deps.db, auth, toPage(query), { type: query.type }), toEnvelope),
  });

  r.add({
    method: 'get',
    path: '/events/:id',
    operationId: 'getEvent',
    summary: 'One event, as its webhook deliveries carry it',
    tags: ['Events'],
    auth: 'api_key',
    params: IdParamsSchema,
    response: EventEnvelopeSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => toEnvelope(await getEvent(deps.db, auth, params.id)),
  });
}
