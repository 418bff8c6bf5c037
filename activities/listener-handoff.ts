// The attempt of a delivery to a listener endpoint: instead of an HTTP POST, the attempt is
// handed to the connected `wth listen` (through a listener_handoffs row its API stream picks
// up) and waits, bounded, for the CLI's acknowledgement carrying the local server's answer.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../lib/db';
import type { SendResult } from '../lib/webhook-sender';
import { expireHandoff, findHandoff, openHandoff, type HandoffRow } from '../domain/webhooks/listener-handoffs';
import { isListenerConnected } from '../domain/webhooks/listeners';
import { findEndpoint, type EndpointRow } from '../domain/webhooks/endpoint-store';

/**
 * How long a hand-over may wait for the listener to take it (it takes one at a time) on top of
 * the attempt timeout it gets for the local POST. The two stay below the activity's
 * start-to-close timeout (attempt timeout + 30 s).
 */
export const LISTENER_QUEUE_MS = 15_000;
const POLL_MS = 150;

export interface ListenerAttempt {
  endpoint: Pick<EndpointRow, 'id' | 'kind' | 'listener_session_id' | 'listener_seen_at'>;
  deliveryId: string;
  attemptNumber: number;
  event: { id: string; type: string; seq: string };
  body: string;
  attemptTimeoutMs: number;
  signal: AbortSignal;
}

export type ListenerResult = SendResult & { signatureHeader: string };

export function createListenerTransport(deps: { db: Db }) {
  const { db } = deps;

  const failed = (started: number, error: string, row?: HandoffRow): ListenerResult => ({
    statusCode: null,
    error,
    bodyPreview: null,
    retryAfter: null,
    durationMs: Math.round(performance.now() - started),
    signatureHeader: row?.signature_header ?? '',
  });

  return {
    async deliver(a: ListenerAttempt): Promise<ListenerResult> {
      const started = performance.now();
      // A re-run of this attempt (worker lost) resumes waiting on its hand-over.
      const resumed = await findHandoff(db, a.deliveryId, a.attemptNumber);
      if (!resumed && !isListenerConnected(a.endpoint)) {
        return failed(started, 'listener not connected (start `wth listen`)');
      }
      if (!resumed) {
        await openHandoff(db, {
          endpointId: a.endpoint.id,
          deliveryId: a.deliveryId,
          attemptNumber: a.attemptNumber,
          event: a.event,
          body: a.body,
          expiresAt: new Date(Date.now() + a.attemptTimeoutMs + LISTENER_QUEUE_MS),
        });
      }
      for (;;) {
        const row = await findHandoff(db, a.deliveryId, a.attemptNumber);
        if (!row) return failed(started, 'listener endpoint deleted');
        if (row.acked_at) {
          return {
            statusCode: row.status_code,
            error: row.error,
            bodyPreview: row.response_body_preview,
            retryAfter: null,
            durationMs: row.duration_ms ?? 0,
            signatureHeader: row.signature_header ?? '',
          };
        }
        if (row.expired_at || Date.now() >= row.expires_at.getTime()) {
          // An acknowledgement may have landed meanwhile: read again.
          if (!(await expireHandoff(db, row.id))) continue;
          return failed(started, await whyExpired(row), row);
        }
        if (a.signal.aborted) throw a.signal.reason ?? new Error('attempt cancelled');
        await sleep(POLL_MS, undefined, { signal: a.signal }).catch(() => undefined);
      }
    },
  };

  async function whyExpired(row: HandoffRow): Promise<string> {
    const endpoint = await findEndpoint(db, row.endpoint_id);
    const seconds = Math.round((row.expires_at.getTime() - row.created_at.getTime()) / 1000);
    if (row.handed_at)
      return `listener did not acknowledge within ${seconds} s (local server slow, or listener disconnected)`;
    if (endpoint && isListenerConnected(endpoint)) return `listener busy: not taken within ${seconds} s`;
    return 'listener not connected (start `wth listen`)';
  }
}

export type ListenerTransport = ReturnType<typeof createListenerTransport>;
