// A deliberately non-deterministic edit of the delivery workflow (a wait inserted before the
// first attempt), for proving that the replay guard in replay.test.ts can fail.
import { sleep } from '@temporalio/workflow';
import { deliveryWorkflow as current, type DeliveryWorkflowInput } from '../../workflows/delivery-workflow';

export async function deliveryWorkflow(input: DeliveryWorkflowInput) {
  await sleep('1 second');
  return current(input);
}
