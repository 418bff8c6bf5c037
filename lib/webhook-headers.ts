// The headers of every webhook request, whether POSTed by the worker or by `wth listen`.
import { SIGNATURE_HEADER } from './signing';

export const USER_AGENT = 'WatchTraderHub-Webhooks/1.0 (+https://watchtraderhub.com)';

export function webhookHeaders(input: {
  signature: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attemptNumber: number;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    [SIGNATURE_HEADER.toLowerCase()]: input.signature,
    'wth-event-id': input.eventId,
    'wth-event-type': input.eventType,
    'wth-delivery-id': input.deliveryId,
    'wth-attempt': String(input.attemptNumber),
  };
}
