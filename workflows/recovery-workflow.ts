import { continueAsNew, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { recoverBatch } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface RecoveryWorkflowInput {
  recoveryId: string;
  /** Set on continue-as-new: the last delivery (by seq) already handled. */
  afterSeq?: string;
}

// Batches per run before continuing as new (each is one activity, ~6 history events).
const BATCHES_PER_RUN = 200;

/** Re-sends a recovery's failed deliveries batch by batch (bounded), in the background. */
export async function recoveryWorkflow(input: RecoveryWorkflowInput): Promise<{ recoveryId: string }> {
  let afterSeq = input.afterSeq ?? '0';
  for (let i = 0; i < BATCHES_PER_RUN; i++) {
    setCurrentDetails(`re-sending failed deliveries after seq ${afterSeq}`);
    const batch = await recoverBatch({ recoveryId: input.recoveryId, afterSeq });
    if (batch.done) return { recoveryId: input.recoveryId };
    afterSeq = batch.lastSeq;
  }
  return continueAsNew<typeof recoveryWorkflow>({ ...input, afterSeq });
}
