import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { EVENT_TYPES, TEST_EVENT_TYPE } from '../../domain/events/catalog';
import { EVENT_ENVELOPE_SCHEMAS } from '../schemas/events';
import { z } from './zod';

const CATALOG_DESCRIPTIONS: Record<string, string> = {
  'listing.published': 'The dealer toggled an inventory item ON for the custom channel.',
  'listing.updated': "A published listing's data changed (price, photos, watch attributes, ...).",
  'listing.unpublished': 'The dealer toggled a listing OFF for the custom channel.',
  'listing.sold': 'A listing transitioned to sold (manually or via order matching).',
  'listing.in_stock': 'A previously-sold listing returned to active stock (e.g. sale voided).',
  'order.received': 'An order was reported through an integration but not yet matched to a listing.',
  'order.fulfilled': 'An order matched to a listing was marked fulfilled by the dealer.',
  'order.cancelled': 'An order was cancelled via `POST /v1/orders/{id}/cancel`.',
  'customer.matched': 'A customer upsert matched an existing customer instead of creating one.',
  'integration.test_event': 'Fired from `POST /v1/test/webhook_ping`; always delivered, whatever the subscriptions.',
};

const DeliveryHeadersSchema = z.object({
  'WTH-Signature': z.string().openapi({
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. During a secret rotation grace period ' +
      'there is one `v1=` per valid secret, newest first (`t=…,v1=…,v1=…`); accept the request if any matches. ' +
      'Reject timestamps more than 5 minutes from your clock.',
    example: 't=1778229676,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  }),
  'WTH-Event-Id': z.string().openapi({
    description: 'The event id (`evt_…`), the same on every retry: de-duplicate on it.',
    example: 'evt_4Yb1d8Qm2XcT0aVn7KpR3sLe',
  }),
  'WTH-Event-Type': z.string().openapi({ description: 'The event type, e.g. `order.received`.' }),
  'WTH-Attempt': z.string().openapi({ description: 'Delivery attempt number, 1 for the first try.', example: '1' }),
});

/** Every event type of the catalog under `webhooks`, each with its own envelope schema. */
export function registerWebhookEvents(registry: OpenAPIRegistry): void {
  for (const type of EVENT_TYPES) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `webhook_${type.replace('.', '_')}`,
      summary: `${type} event`,
      description:
        `${CATALOG_DESCRIPTIONS[type]} Delivered as a signed POST to each of the dealer's endpoints subscribed to it` +
        (type === TEST_EVENT_TYPE ? ' (subscriptions are ignored for this one).' : '.') +
        ' Answer 2xx within 10 seconds; anything else is retried with exponential backoff.',
      tags: ['Webhooks'],
      request: {
        headers: DeliveryHeadersSchema,
        body: { required: true, content: { 'application/json': { schema: EVENT_ENVELOPE_SCHEMAS[type] } } },
      },
      responses: {
        '2XX': {
          description: 'Received. Any 2xx counts; the body is ignored (a preview is kept in the delivery log).',
        },
      },
    });
  }
}
