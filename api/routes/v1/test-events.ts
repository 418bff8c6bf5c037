import { apiActor } from '../../../domain/platform/actor';
import { toEnvelope } from '../../../domain/events/event-store';
import { sendTestEvent } from '../../../domain/events/event-service';
import type { ApiRouter } from '../../route';
import { EventEnvelopeSchema } from '../../schemas/events';
import { z } from '../../openapi/zod';

export function testEventRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/test/webhook_ping',
    operationId: 'sendWebhookPing',
    summary: 'Fire `integration.test_event` to every endpoint of this mode, ignoring subscriptions',
    tags: ['Events'],
    auth: 'api_key',
    body: z.object({}).strict().openapi('WebhookPing'),
    response: EventEnvelopeSchema,
    handler: async ({ auth, deps }) => toEnvelope(await sendTestEvent(deps, apiActor(auth))),
  });
}
