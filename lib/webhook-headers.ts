// The headers of every webhook request, built in one place: the worker POSTs them, `wth listen`
// forwards them, and the delivery log rebuilds them from the recorded attempt to show what was sent.
import { SIGNATURE_HEADER } from './signing';

export const USER_AGENT = 'WatchTraderHub-Webhooks/1.0 (+https://watchtraderhub.com)';

export interface WebhookHeaderInput {
  signature: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attemptNumber: number;
}

export function webhookHeaders(h: WebhookHeaderInput): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    [SIGNATURE_HEADER.toLowerCase()]: h.signature,
    'wth-event-id': h.eventId,
    'wth-event-type': h.eventType,
    'wth-delivery-id': h.deliveryId,
    'wth-attempt': String(h.attemptNumber),
  };
}

/**
 * Hides every signature value but keeps the timestamp and how many signatures there were (two
 * during a secret rotation), which is what a dealer debugging a receiver needs to see.
 */
export function maskSignature(header: string): string {
  return header
    .split(',')
    .map((part) => (part.startsWith('t=') ? part : part.replace(/=.*$/, '=••••••••')))
    .join(',');
}

/** The headers an attempt sent, signature values masked. */
export function maskedWebhookHeaders(h: WebhookHeaderInput): Record<string, string> {
  return webhookHeaders({ ...h, signature: maskSignature(h.signature) });
}
