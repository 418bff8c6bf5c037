// The smallest useful Temporal workflow: one activity that does nothing. How many of these the
// dev server completes per second is the ceiling any Temporal-based pipeline on it lives under.
import { proxyActivities } from '@temporalio/workflow';
import type { ceilingActivities } from './activities';

const { noop } = proxyActivities<typeof ceilingActivities>({ startToCloseTimeout: '30 seconds' });

export async function ceilingWorkflow(): Promise<void> {
  await noop();
}
