import type { WebhookEndpoint } from '../../api/types';

/** Why an endpoint is disabled, in the dealer's words (`manual` is the dealer's own switch). */
export function disabledReason(e: WebhookEndpoint): string {
  if (!e.disabled_reason || e.disabled_reason === 'manual') return 'Disabled by you.';
  return e.disabled_reason;
}
