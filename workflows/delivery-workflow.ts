import {
  condition,
  continueAsNew,
  defineSignal,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { AttemptTrigger, DeliveryStatus } from '../domain/webhooks/delivery-store';
import { jittered, type DeliveryPolicy } from '../lib/delivery-policy';
import { RETRY_NOW_SIGNAL, SA } from '../lib/temporal/contract';

export const retryNowSignal = defineSignal(RETRY_NOW_SIGNAL);

/**
 * Deliveries started since this patch make each attempt a local activity: it runs inside the
 * workflow task, so an attempt costs one workflow task and a marker instead of two workflow
 * tasks and an activity task. Deliveries already waiting on a timer when it shipped replay
 * without the marker and keep the normal activity to the end.
 */
export const ATTEMPT_AS_LOCAL_ACTIVITY_PATCH = 'attempt-as-local-activity';

export interface DeliveryWorkflowInput {
  deliveryId: string;
  /** Attempt numbers continue across runs (a manual re-send after the delivery finished). */
  firstAttemptNumber: number;
  trigger: AttemptTrigger;
  /** A manual re-send gets an empty schedule: one attempt. */
  policy: DeliveryPolicy;
  /** Carried across continue-as-new: automatic waits already used up. */
  scheduleIndex?: number;
}

export interface DeliveryWorkflowResult {
  deliveryId: string;
  status: DeliveryStatus;
  lastAttemptNumber: number | null;
}

// Each attempt adds ~11 history events; long manual-retry sprees or deferrals continue as new
// well before the cap.
const HISTORY_LIMIT = 4_000;

/**
 * One delivery of one event to one endpoint: attempt, and on failure wait (a durable timer that
 * a `retryNow` signal cuts short), until success, a final failure, or the endpoint is disabled.
 */
export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryWorkflowResult> {
  const { policy } = input;
  // Only infrastructure failures (database down, worker lost) throw: retry those until they heal.
  const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
  // The HTTP timeout bounds the POST; the rest is a few queries.
  const startToCloseTimeout = policy.attemptTimeoutMs + 30_000;
  // `localAttempts` is fixed for the run (its input), so the patch check replays identically.
  const { attemptDelivery } =
    policy.localAttempts !== false && patched(ATTEMPT_AS_LOCAL_ACTIVITY_PATCH)
      ? // No schedule-to-close: an attempt is retried until the infrastructure heals, like the
        // activity below. A killed worker's attempt is re-run when its workflow task times out
        // (10 s), the same bound the activity's heartbeat timeout gives.
        proxyLocalActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout, retry })
      : proxyActivities<ReturnType<typeof createActivities>>({
          startToCloseTimeout,
          // The activity heartbeats every 2 s while its worker lives: a killed worker's attempt is
          // re-run after this, not after the whole start-to-close timeout.
          heartbeatTimeout: '10 seconds',
          retry,
        });

  let wakeRequested = false;
  setHandler(retryNowSignal, () => {
    wakeRequested = true;
  });

  let attemptNumber = input.firstAttemptNumber;
  let scheduleIndex = input.scheduleIndex ?? 0;
  let trigger = input.trigger;
  for (;;) {
    if (workflowInfo().historyLength > HISTORY_LIMIT) {
      await continueAsNew<typeof deliveryWorkflow>({
        ...input,
        firstAttemptNumber: attemptNumber,
        trigger,
        scheduleIndex,
      });
    }
    wakeRequested = false;
    const base = policy.retryScheduleMs[scheduleIndex];
    const retryInMs = base === undefined ? null : jittered(base, policy.jitter, Math.random());
    setCurrentDetails(`attempt ${attemptNumber} (${trigger}) in progress`);
    const outcome = await attemptDelivery({ deliveryId: input.deliveryId, attemptNumber, trigger, retryInMs });
    if (outcome.result === 'deferred') {
      // Not sent: the endpoint already has its share of attempts in flight. Same attempt, a bit
      // later (spread out, so deferred deliveries do not come back all at once).
      await condition(() => wakeRequested, jittered(outcome.nextDelayMs ?? 1_000, 0.5, Math.random()));
      continue;
    }
    const recorded = outcome.result === 'succeeded' || outcome.result === 'failed_attempt';
    // An operator's reset re-sends under a new attempt number; later attempts follow it.
    if (recorded) attemptNumber = Math.max(attemptNumber, outcome.attemptNumber);

    // A re-send asked for while the last attempt was in flight still gets its attempt.
    if (outcome.status === 'failed' && outcome.result === 'failed_attempt' && wakeRequested) {
      attemptNumber++;
      trigger = 'manual';
      continue;
    }
    if (outcome.status !== 'pending' || outcome.nextDelayMs === null) {
      upsertSearchAttributes([{ key: SA.deliveryStatus, value: outcome.status }]);
      setCurrentDetails(`${outcome.status}: ${outcome.result}, last status ${outcome.statusCode ?? 'none'}`);
      return {
        deliveryId: input.deliveryId,
        status: outcome.status,
        lastAttemptNumber: recorded ? attemptNumber : attemptNumber > 1 ? attemptNumber - 1 : null,
      };
    }

    attemptNumber++;
    setCurrentDetails(
      `attempt ${attemptNumber - 1} failed (${outcome.statusCode ?? 'network error'}); next in ${outcome.nextDelayMs} ms`,
    );
    const woken = await condition(() => wakeRequested, outcome.nextDelayMs, {
      summary: `wait before attempt ${attemptNumber}`,
    });
    // A manual re-send does not use up one of the scheduled waits.
    trigger = woken ? 'manual' : 'automatic';
    if (!woken) scheduleIndex++;
  }
}
