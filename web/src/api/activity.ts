// Typed calls for the Delivery Log, events, inventory and orders (the dashboard's activity side).
import type { z } from 'zod';
import type { DashboardDeliverySchema, DeliverySchema, RecoverySchema } from '../../../api/schemas/deliveries';
import type { FiredEventSchema } from '../../../api/schemas/fired-events';
import type { ListingSchema } from '../../../api/schemas/listings';
import type { OrderSchema } from '../../../api/schemas/orders';
import type { EventEnvelope } from '../../../domain/events/event-store';
import { api } from './client';
import type { List } from './types';

export type Delivery = z.infer<typeof DeliverySchema>;
export type DeliveryDetail = z.infer<typeof DashboardDeliverySchema>;
export type Attempt = DeliveryDetail['attempts'][number];
export type Recovery = z.infer<typeof RecoverySchema>;
export type FiredEvent = z.infer<typeof FiredEventSchema>;
export type Listing = z.infer<typeof ListingSchema>;
export type Order = z.infer<typeof OrderSchema>;
export type WebhookEvent = EventEnvelope;
export type Fired<T> = T & { fired_events: FiredEvent[] };
export type DeliveryStatus = Delivery['status'];

export interface DeliveryFilters {
  statuses: DeliveryStatus[];
  endpointId: string;
  eventType: string;
  /** ISO 8601 or '' */
  from: string;
  to: string;
}

/** The filters as the API's query (status repeated for several). */
export function deliveryQuery(
  f: DeliveryFilters,
  extra: { livemode: boolean; integrationId: string; startingAfter?: string; limit: number },
): string {
  const q = new URLSearchParams();
  q.set('livemode', String(extra.livemode));
  q.set('integration_id', extra.integrationId);
  q.set('limit', String(extra.limit));
  for (const s of f.statuses) q.append('status', s);
  if (f.endpointId) q.set('endpoint_id', f.endpointId);
  if (f.eventType) q.set('event_type', f.eventType);
  if (f.from) q.set('created[gte]', f.from);
  if (f.to) q.set('created[lte]', f.to);
  if (extra.startingAfter) q.set('starting_after', extra.startingAfter);
  return q.toString();
}

export const listDeliveries = (query: string) => api.get<List<Delivery>>(`/deliveries?${query}`);
export const getDelivery = (id: string, livemode: boolean) =>
  api.get<DeliveryDetail>(`/deliveries/${id}`, { livemode });
export const retryDelivery = (id: string, livemode: boolean) =>
  api.post<Delivery>(`/deliveries/${id}/retry`, {}, { livemode });
export const recoverEndpoint = (endpointId: string, livemode: boolean, since: string, dryRun: boolean) =>
  api.post<Recovery>(`/webhook_endpoints/${endpointId}/recover`, { since, dry_run: dryRun }, { livemode });

export const listEvents = (q: { livemode: boolean; type?: string; starting_after?: string; limit?: number }) =>
  api.get<List<WebhookEvent>>('/events', { limit: 20, ...q });

export const listListings = (livemode: boolean, startingAfter?: string) =>
  api.get<List<Listing>>('/listings', { livemode, limit: 50, starting_after: startingAfter });
export interface ListingInput {
  brand: string;
  model: string;
  reference: string;
  year: number | null;
  condition: string;
  price: { amount: number; currency: string };
}
export const createListing = (livemode: boolean, body: ListingInput) =>
  api.post<Listing>('/listings', body, { livemode });
export const updateListing = (id: string, body: Partial<ListingInput>) =>
  api.patch<Fired<Listing>>(`/listings/${id}`, body);
export type ListingAction = 'publish' | 'unpublish' | 'mark_sold' | 'mark_in_stock';
export const listingAction = (id: string, action: ListingAction) =>
  api.post<Fired<Listing>>(`/listings/${id}/${action}`);

export const listOrders = (livemode: boolean, status?: string) =>
  api.get<List<Order>>('/orders', { livemode, limit: 100, status });
export const fulfilOrder = (id: string) => api.post<Fired<Order>>(`/orders/${id}/fulfil`);

/** "fired listing.updated evt_…" or "fired no event", for the live region. */
export function firedText(events: FiredEvent[]): string {
  if (events.length === 0) return 'No event fired (nothing an integration can see changed).';
  return `Fired ${events.map((e) => `${e.type} ${e.id}`).join(', ')}.`;
}
