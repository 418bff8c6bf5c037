// The ten event types of the catalog (../shared/seeds/000_*), the contract for `data.object`.
export const EVENT_TYPES = [
  'listing.published',
  'listing.updated',
  'listing.unpublished',
  'listing.sold',
  'listing.in_stock',
  'order.received',
  'order.fulfilled',
  'order.cancelled',
  'customer.matched',
  'integration.test_event',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const TEST_EVENT_TYPE: EventType = 'integration.test_event';

/** Events that are not delivered back to the integration whose own write caused them. */
export const ECHO_SUPPRESSED_TYPES: ReadonlySet<EventType> = new Set(['order.received', 'customer.matched']);

/** Where a change came from: a Custom Integration's API key, the dashboard, another channel. */
export type EventOrigin = 'api' | 'dashboard' | 'shopify' | 'ebay' | 'system';
