import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { loadEventSummary } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
});

export interface EventWorkflowInput {
  eventId: string;
}

// Skeleton: the delivery fan-out lands with the webhook delivery issue.
export async function eventWorkflow(input: EventWorkflowInput): Promise<{ eventId: string; type: string | null }> {
  const summary = await loadEventSummary(input.eventId);
  return { eventId: input.eventId, type: summary?.type ?? null };
}
