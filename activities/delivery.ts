// Delivery activities. Each HTTP attempt is exactly one `attemptDelivery` call that reads the
// endpoint and its secrets at send time, and returns the outcome (it throws only when the
// infrastructure fails, so Temporal retries it; a receiver's non-2xx is an ordinary result).
import { Context } from '@temporalio/activity';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { deliveryPolicy, parseRetryAfter, retryDelayMs, type DeliveryPolicy } from '../lib/delivery-policy';
import { signatureHeader, SIGNATURE_HEADER } from '../lib/signing';
import type { WebhookSender } from '../lib/webhook-sender';
import { findEvent, toEnvelope, type EventRow } from '../domain/events/event-store';
import { findEndpoint, validSecrets, type EndpointRow } from '../domain/webhooks/endpoint-store';
import {
  disableEndpoint,
  findAttempt,
  findAttemptByActivity,
  findDelivery,
  nextAttemptNumber,
  noteEndpointHealth,
  planDeliveries,
  recordAttempt,
  stopDelivery,
  type AttemptRow,
  type AttemptTrigger,
  type DeliveryRow,
  type DeliveryStatus,
} from '../domain/webhooks/delivery-store';

export const USER_AGENT = 'WatchTraderHub-Webhooks/1.0 (+https://watchtraderhub.com)';

export interface DeliveryActivityDeps {
  config: Config;
  db: Db;
  logger: Logger;
  sender: WebhookSender;
}

export interface DeliveryPlan {
  event: { id: string; type: string; dealerId: string; livemode: boolean };
  deliveries: { deliveryId: string; endpointId: string }[];
  policy: DeliveryPolicy;
  /** Optional so plans recorded before it existed replay unchanged. */
  startsPerRun?: number;
}

export interface AttemptInput {
  deliveryId: string;
  attemptNumber: number;
  trigger: AttemptTrigger;
  /** The (jittered) wait before the next automatic attempt; null when this is the last one. */
  retryInMs: number | null;
}

export interface AttemptOutcome {
  /** What happened: an HTTP answer or network error was recorded, or there was nothing to send to. */
  result: 'succeeded' | 'failed_attempt' | 'endpoint_disabled' | 'delivery_missing' | 'deferred';
  status: DeliveryStatus;
  attemptNumber: number;
  statusCode: number | null;
  /** When status is pending: how long to wait before the next (or, if deferred, this) attempt. */
  nextDelayMs: number | null;
}

// How long a deferred attempt waits before it tries for a slot again.
const DEFER_MS = 1_000;

// A live worker heartbeats all through an attempt; a killed one falls silent, and Temporal runs
// the attempt again after the workflow's heartbeat timeout instead of its whole start-to-close
// timeout (attempt timeout + 30 s).
export const ATTEMPT_HEARTBEAT_MS = 2_000;

/** One activity execution across its retries: the workflow run and the activity's id in it. */
function currentActivityKey(): string {
  const { workflowExecution, activityId } = Context.current().info;
  return `${workflowExecution?.runId ?? 'no-workflow'}/${activityId}`;
}

/** The outcome of an attempt that is already in the log. */
function fromRecord(recorded: AttemptRow, delivery: DeliveryRow): AttemptOutcome {
  const ok = recorded.status_code !== null && recorded.status_code >= 200 && recorded.status_code < 300;
  return {
    result: ok ? 'succeeded' : 'failed_attempt',
    status: delivery.status,
    attemptNumber: recorded.attempt_number,
    statusCode: recorded.status_code,
    nextDelayMs:
      delivery.status === 'pending' && delivery.next_attempt_at
        ? Math.max(0, delivery.next_attempt_at.getTime() - Date.now())
        : null,
  };
}

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  const { config, db, logger, sender } = deps;
  const inFlight = new Map<string, number>();

  async function disableFor(endpointId: string, reason: string): Promise<void> {
    await disableEndpoint(db, endpointId, reason);
    logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  }

  return {
    async planDeliveries(eventId: string): Promise<DeliveryPlan | null> {
      const event = await findEvent(db, eventId);
      if (!event) return null;
      const rows = await planDeliveries(db, event);
      return {
        event: { id: event.id, type: event.type, dealerId: event.dealer_id, livemode: event.livemode },
        deliveries: rows.map((d) => ({ deliveryId: d.id, endpointId: d.endpoint_id })),
        policy: deliveryPolicy(config, event.livemode),
        startsPerRun: config.WEBHOOK_FANOUT_STARTS_PER_RUN,
      };
    },

    async attemptDelivery(input: AttemptInput): Promise<AttemptOutcome> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), ATTEMPT_HEARTBEAT_MS);
      try {
        return await attemptOnce(input);
      } finally {
        clearInterval(beat);
      }
    },
  };

  async function attemptOnce(input: AttemptInput): Promise<AttemptOutcome> {
    const { deliveryId, attemptNumber } = input;
    const delivery = await findDelivery(db, deliveryId);
    if (!delivery) {
      return { result: 'delivery_missing', status: 'failed', attemptNumber, statusCode: null, nextDelayMs: null };
    }
    const activityKey = currentActivityKey();
    const replay = await recordedOrReplay(input, activityKey);
    if (replay.recorded) return fromRecord(replay.recorded, delivery);
    const toSend = replay.send;

    const endpoint = await findEndpoint(db, delivery.endpoint_id);
    const secrets = endpoint?.status === 'enabled' ? await validSecrets(db, config.secretsKey, endpoint.id) : [];
    const event = await findEvent(db, delivery.event_id);
    if (!endpoint || endpoint.status !== 'enabled' || secrets.length === 0 || !event) {
      await stopDelivery(db, deliveryId);
      return { result: 'endpoint_disabled', status: 'failed', attemptNumber, statusCode: null, nextDelayMs: null };
    }

    const busy = inFlight.get(endpoint.id) ?? 0;
    if (busy >= config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT) {
      return { result: 'deferred', status: 'pending', attemptNumber, statusCode: null, nextDelayMs: DEFER_MS };
    }
    inFlight.set(endpoint.id, busy + 1);
    try {
      return await send(toSend, activityKey, delivery, endpoint, secrets, event);
    } finally {
      const left = (inFlight.get(endpoint.id) ?? 1) - 1;
      if (left > 0) inFlight.set(endpoint.id, left);
      else inFlight.delete(endpoint.id);
    }
  }

  /**
   * An attempt already in the log is answered from it (a retried activity after a worker crash
   * never sends twice), unless it was recorded by another workflow run: then an operator reset
   * the workflow in Temporal UI to replay it, and it is sent again as a new attempt.
   */
  async function recordedOrReplay(
    input: AttemptInput,
    activityKey: string,
  ): Promise<{ recorded: AttemptRow; send?: never } | { recorded?: never; send: AttemptInput }> {
    const recorded = await findAttempt(db, input.deliveryId, input.attemptNumber);
    if (!recorded) return { send: input };
    if (recorded.activity_key === null || recorded.activity_key === activityKey) return { recorded };
    const mine = await findAttemptByActivity(db, activityKey);
    if (mine) return { recorded: mine };
    const attemptNumber = await nextAttemptNumber(db, input.deliveryId);
    logger.info({ deliveryId: input.deliveryId, replayed: input.attemptNumber, attemptNumber }, 'operator replay');
    return { send: { ...input, attemptNumber, trigger: 'operator' } };
  }

  /** Signs, sends, and records one attempt; decides what happens next. */
  async function send(
    input: AttemptInput,
    activityKey: string,
    delivery: DeliveryRow,
    endpoint: EndpointRow,
    secrets: string[],
    event: EventRow,
  ): Promise<AttemptOutcome> {
    const { deliveryId, attemptNumber } = input;
    // Serialized once: the signed bytes are exactly the bytes sent.
    const body = JSON.stringify(toEnvelope(event));
    const startedAt = new Date();
    const signature = signatureHeader(secrets, Math.floor(startedAt.getTime() / 1000), body);
    const sent = await sender.send({
      url: endpoint.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [SIGNATURE_HEADER.toLowerCase()]: signature,
        'wth-event-id': event.id,
        'wth-event-type': event.type,
        'wth-delivery-id': delivery.id,
        'wth-attempt': String(attemptNumber),
      },
      timeoutMs: config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
      previewBytes: config.WEBHOOK_RESPONSE_PREVIEW_BYTES,
      // Worker shutdown: abandon the request and let Temporal re-run this attempt elsewhere.
      signal: Context.current().cancellationSignal,
    });

    const code = sent.statusCode;
    const succeeded = code !== null && code >= 200 && code < 300;
    const failingSince = await noteEndpointHealth(db, endpoint.id, succeeded, startedAt);
    let status: DeliveryStatus;
    let nextDelayMs: number | null = null;
    if (succeeded) {
      status = 'succeeded';
    } else if (code === 410) {
      status = 'failed';
      await disableFor(endpoint.id, 'The endpoint answered 410 Gone; deliveries to it were stopped.');
    } else if (failingSince && Date.now() - failingSince.getTime() >= config.WEBHOOK_DISABLE_AFTER_MS) {
      status = 'failed';
      await disableFor(
        endpoint.id,
        `Every delivery attempt since ${failingSince.toISOString()} failed; the endpoint was disabled.`,
      );
    } else if (input.retryInMs !== null) {
      status = 'pending';
      const retryAfterMs =
        code === 429 || code === 503 ? parseRetryAfter(sent.retryAfter, startedAt.getTime() + sent.durationMs) : null;
      nextDelayMs = retryDelayMs(input.retryInMs, retryAfterMs, config.WEBHOOK_RETRY_AFTER_CAP_MS);
    } else {
      status = 'failed';
    }

    await db.transaction((trx) =>
      recordAttempt(
        trx,
        {
          delivery_id: deliveryId,
          attempt_number: attemptNumber,
          trigger: input.trigger,
          started_at: startedAt,
          duration_ms: sent.durationMs,
          status_code: code,
          error: sent.error ?? (code !== null && code >= 300 && code < 400 ? 'redirect not followed' : null),
          response_body_preview: sent.bodyPreview,
          signature_header: signature,
          activity_key: activityKey,
        },
        { status, nextAttemptAt: nextDelayMs === null ? null : new Date(Date.now() + nextDelayMs) },
      ),
    );
    return {
      result: succeeded ? 'succeeded' : 'failed_attempt',
      status,
      attemptNumber,
      statusCode: code,
      nextDelayMs,
    };
  }
}
