import type { DeliveryStatus } from '../../api/activity';
import { StatusBadge, type Tone } from '../../components/Badges';

const TONE: Record<DeliveryStatus, Tone> = { succeeded: 'success', pending: 'warning', failed: 'danger' };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <StatusBadge tone={TONE[status]} label={status} />;
}

/** "200", "500", or the network error when no answer came. */
export function attemptResult(a: { status_code: number | null; error: string | null }): string {
  if (a.status_code !== null) return a.error ? `HTTP ${a.status_code} (${a.error})` : `HTTP ${a.status_code}`;
  return a.error ? `No answer: ${a.error}` : 'No answer';
}
