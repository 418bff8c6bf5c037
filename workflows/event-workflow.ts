import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { continueAsNew, ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { DeliveryPlan } from '../activities/delivery';
import { deliveryWorkflowStart } from '../lib/temporal/contract';
import { deliveryWorkflow } from './delivery-workflow';

const { planDeliveries } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface EventWorkflowInput {
  eventId: string;
  /** Set on continue-as-new: the part of the plan not started yet. */
  remaining?: DeliveryPlan;
}

export interface EventWorkflowResult {
  eventId: string;
  type: string | null;
  deliveries: number;
}

// Starts in flight at once, and per run: a run stays far below the 2,000 pending-children and
// history limits; a bigger fan-out continues as new with the rest.
const START_BATCH = 100;
const DEFAULT_STARTS_PER_RUN = 1_000;

/**
 * Plans the event's deliveries and starts one delivery workflow per endpoint. It waits only
 * for the starts: each delivery then runs on its own, so a slow endpoint delays no other.
 */
export async function eventWorkflow(input: EventWorkflowInput): Promise<EventWorkflowResult> {
  const plan = input.remaining ?? (await planDeliveries(input.eventId));
  if (!plan) return { eventId: input.eventId, type: null, deliveries: 0 };
  const { event, policy } = plan;
  const now = plan.deliveries.slice(0, plan.startsPerRun ?? DEFAULT_STARTS_PER_RUN);
  for (let i = 0; i < now.length; i += START_BATCH) {
    await Promise.all(
      now.slice(i, i + START_BATCH).map(async ({ deliveryId, endpointId }) => {
        try {
          await startChild(deliveryWorkflow, {
            args: [{ deliveryId, firstAttemptNumber: 1, trigger: 'automatic', policy }],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            ...deliveryWorkflowStart(
              {
                deliveryId,
                dealerId: event.dealerId,
                eventId: event.id,
                eventType: event.type,
                endpointId,
                livemode: event.livemode,
              },
              'automatic',
            ),
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }),
    );
  }
  if (plan.deliveries.length > now.length) {
    await continueAsNew<typeof eventWorkflow>({
      eventId: input.eventId,
      remaining: { ...plan, deliveries: plan.deliveries.slice(now.length) },
    });
  }
  return { eventId: event.id, type: event.type, deliveries: plan.deliveries.length };
}
