import type { LookupFunction } from 'node:net';
import type { Db } from '../lib/db';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { createWebhookSender, type WebhookSender } from '../lib/webhook-sender';
import { assertHostAllowed, guardedLookup, type Resolver } from '../lib/address-policy';
import type { Client } from '@temporalio/client';
import { recoverBatch } from '../domain/webhooks/delivery-service';
import type { DeliveryMetrics } from '../lib/metrics';
import { createDeliveryActivities, type AttemptInput } from './delivery';

export interface ActivityDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Tests and the worker may pass their own; by default one pooled sender per worker. */
  sender?: WebhookSender;
  /** For the activities that start or signal workflows (recoveries). */
  temporal: Client;
  /** Counts and times delivery attempts (the worker's /metrics). */
  metrics?: DeliveryMetrics;
  /** How the connect-time guard resolves names (default: the system resolver). */
  resolve?: Resolver;
}

/** Activities are built by a factory that receives their dependencies (no globals). */
export function createActivities(deps: ActivityDeps) {
  const allowPrivate = deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  // SSRF: names are checked on the very addresses the socket connects to (DNS rebinding),
  // IP literals before connecting (they never reach a lookup).
  const sender =
    deps.sender ??
    createWebhookSender({
      lookup: guardedLookup(allowPrivate, deps.resolve) as unknown as LookupFunction,
      checkUrl: (url) => assertHostAllowed(url, allowPrivate),
    });
  const delivery = createDeliveryActivities({ ...deps, sender });
  return {
    async recoverBatch(input: { recoveryId: string; afterSeq: string }) {
      return recoverBatch(deps, input);
    },
    ...delivery,
    attemptDelivery: deps.metrics ? measured(delivery.attemptDelivery, deps.metrics) : delivery.attemptDelivery,
  };
}

/** The attempt activity, counted by result and timed; a settled delivery counted by outcome. */
function measured(
  attempt: ReturnType<typeof createDeliveryActivities>['attemptDelivery'],
  metrics: DeliveryMetrics,
): typeof attempt {
  return async (input: AttemptInput) => {
    const end = metrics.attemptDuration.startTimer();
    try {
      const outcome = await attempt(input);
      end({ result: outcome.result });
      metrics.attempts.inc({ result: outcome.result });
      if (outcome.status !== 'pending') metrics.deliveries.inc({ outcome: outcome.status });
      return outcome;
    } catch (err) {
      end({ result: 'error' });
      metrics.attempts.inc({ result: 'error' });
      throw err;
    }
  };
}
