// Every workflow the worker registers. Workflows import activity *types* only.
export { eventWorkflow } from './event-workflow';
export { deliveryWorkflow } from './delivery-workflow';
export { recoveryWorkflow } from './recovery-workflow';
