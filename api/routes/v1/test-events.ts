import { apiActor } from '../../../domain/platform/actor';
import { toEnvelope, type EventRow } from '../../../domain/events/event-store';
import { sendTestEvent } from '../../../domain/events/event-service';
import { triggerEvent } from '../../../domain/events/test-triggers';
import type { ApiRouter } from '../../route';
import { EventEnvelopeSchema, TriggerBody, TriggerSchema } from '../../schemas/events';
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

  r.add({
    method: 'post',
    path: '/test/triggers',
    operationId: 'triggerTestEvent',
    summary: 'Fire a real test-mode event of a type, creating the test data it needs (wth trigger)',
    description:
      'Makes the domain changes that cause the event (e.g. a new listing published for `listing.published`, ' +
      'an order from the Shopify channel for `order.received`); changes it needs first fire their own events, ' +
      'listed in `events`. Test keys only.',
    tags: ['Events'],
    auth: 'api_key',
    body: TriggerBody,
    response: TriggerSchema,
    errors: [422],
    handler: async ({ auth, body, deps }) => {
      const fired = await triggerEvent(deps, auth, body.type);
      const requested = fired.filter((e) => e.type === body.type).pop() ?? fired[fired.length - 1];
      return {
        object: 'trigger' as const,
        type: body.type,
        event: toEnvelope(requested as EventRow),
        events: fired.map((e) => ({ id: e.id, type: e.type })),
      };
    },
  });
}
