import { toEnvelope } from '../../../domain/events/event-store';
import { getEvent, listEvents } from '../../../domain/events/event-service';
import { resendEvent } from '../../../domain/webhooks/delivery-service';
import { presentDelivery } from '../../presenters/deliveries';
import { presentPage } from '../../presenters/list';
import type { ApiRouter } from '../../route';
import { EventEnvelopeSchema, EventListQuerySchema, EventListSchema, ResendEventBody } from '../../schemas/events';
import { IdParamsSchema, toPage } from '../../schemas/list';
import { EventResendSchema } from '../../schemas/deliveries';

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

  r.add({
    method: 'post',
    path: '/events/:id/resend',
    operationId: 'resendEvent',
    summary: 'Send an event again, to one endpoint or to every endpoint of this integration that receives it',
    description:
      'With `endpoint_id` the event goes to that endpoint even if it never did (e.g. a listener started since); ' +
      'without, to every enabled endpoint that has it in its delivery log or would receive it now. Succeeded ' +
      'deliveries are sent again too (trigger `manual`).',
    tags: ['Events'],
    auth: 'api_key',
    params: IdParamsSchema,
    body: ResendEventBody,
    status: 202,
    responseDescription: 'Accepted: the attempts run in the background.',
    response: EventResendSchema,
    errors: [404, 422],
    handler: async ({ auth, params, body, deps }) => {
      const rows = await resendEvent(deps, auth, params.id, body.endpoint_id);
      return { object: 'event_resend' as const, event_id: params.id, deliveries: rows.map((d) => presentDelivery(d)) };
    },
  });
}
