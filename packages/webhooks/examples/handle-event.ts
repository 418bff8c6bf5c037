// Typed events: `switch (event.type)` narrows `data.object` and `data.previous_attributes`.
import type { WebhookEvent } from '@watchtraderhub/webhooks';

export function describeEvent(event: WebhookEvent): string {
  switch (event.type) {
    case 'order.received': {
      const order = event.data.object;
      return `order ${order.external_id}: ${order.total_amount} ${order.currency} (minor units)`;
    }
    case 'order.fulfilled':
    case 'order.cancelled':
      return `order ${event.data.object.id}: ${event.data.previous_attributes.status} -> ${event.data.object.status}`;
    case 'listing.updated':
      return `listing ${event.data.object.id} changed: ${Object.keys(event.data.previous_attributes).join(', ')}`;
    case 'listing.published':
    case 'listing.unpublished':
    case 'listing.sold':
    case 'listing.in_stock':
      return `${event.type} ${event.data.object.id}`;
    case 'customer.matched':
      return `customer ${event.data.object.email ?? event.data.object.id} matched`;
    case 'integration.test_event':
      return event.data.object.message;
    default: {
      // Every type is handled: adding an event type to the API makes this line a type error.
      const unhandled: never = event;
      return `unhandled ${(unhandled as WebhookEvent).type}`;
    }
  }
}
