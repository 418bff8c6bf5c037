// Names shared by workflows (sandboxed) and their callers (API, worker): pure, no imports.
export const deliveryWorkflowId = (deliveryId: string): string => `delivery:${deliveryId}`;
export const recoveryWorkflowId = (recoveryId: string): string => `recovery:${recoveryId}`;

/** Signal that cuts a delivery's wait short: the next attempt starts now (trigger `manual`). */
export const RETRY_NOW_SIGNAL = 'retryNow';
