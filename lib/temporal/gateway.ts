// The client side of this service's Temporal traffic: connecting, registering search
// attributes, starting an event's workflow and re-sending a delivery. The API, the outbox relay
// and the tests go through here; ids and options come from ./contract.ts, which the workflows
// share.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';
import type { DeliveryWorkflowInput, deliveryWorkflow } from '../../workflows/delivery-workflow';
import type { eventWorkflow } from '../../workflows/event-workflow';
import type { recoveryWorkflow } from '../../workflows/recovery-workflow';
import {
  deliveryWorkflowStart,
  eventWorkflowStart,
  deliveryWorkflowId,
  recoveryWorkflowId,
  RETRY_NOW_SIGNAL,
  SA,
  WORKFLOW_TYPES,
  type DeliveryKeys,
  type EventKeys,
} from './contract';

export async function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return { connection, client };
}

/** Registers the project's search attributes (idempotent), on a dev server or a real cluster. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.values(SA).filter((k) => !have.has(k.name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((k) => [k.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}`]]),
    ),
  });
}

/** Starts the event's workflow; a repeat (running or closed) is a no-op. */
export async function startEventWorkflow(client: Client, taskQueue: string, event: EventKeys): Promise<void> {
  try {
    await client.workflow.start<typeof eventWorkflow>(WORKFLOW_TYPES.event, {
      taskQueue,
      args: [{ eventId: event.id }],
      ...eventWorkflowStart(event),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Sends a delivery again now. A delivery still waiting between attempts is woken by the
 * signal; a finished one gets a new run of the same workflow id with `input`.
 * signalWithStart does whichever applies atomically, so two clicks never run two workflows.
 */
export async function resendDelivery(
  client: Client,
  taskQueue: string,
  delivery: DeliveryKeys,
  input: DeliveryWorkflowInput,
): Promise<void> {
  await client.workflow.signalWithStart<typeof deliveryWorkflow, []>(WORKFLOW_TYPES.delivery, {
    taskQueue,
    signal: RETRY_NOW_SIGNAL,
    signalArgs: [],
    args: [input],
    ...deliveryWorkflowStart(delivery, 'manual'),
  });
}

/** Cuts a running delivery's wait short (its next attempt starts now); false when none is running. */
export async function wakeDelivery(client: Client, deliveryId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(deliveryWorkflowId(deliveryId)).signal(RETRY_NOW_SIGNAL);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Starts a recovery's background job (workflow `recovery:<id>`); a repeat is a no-op. */
export async function startRecoveryWorkflow(
  client: Client,
  taskQueue: string,
  recoveryId: string,
  summary: string,
): Promise<void> {
  try {
    await client.workflow.start<typeof recoveryWorkflow>(WORKFLOW_TYPES.recovery, {
      taskQueue,
      workflowId: recoveryWorkflowId(recoveryId),
      args: [{ recoveryId }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: summary,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * How a delivery's latest workflow run ended, if it ended without a result (terminated, timed
 * out, cancelled, failed), with the operator's reason for a termination; null while it runs,
 * after it completed, or when Temporal does not know it (not started yet, or long gone).
 */
export async function deliveryWorkflowClosure(
  client: Client,
  deliveryId: string,
): Promise<{ status: 'TERMINATED' | 'TIMED_OUT' | 'CANCELLED' | 'FAILED'; reason: string | null } | null> {
  const handle = client.workflow.getHandle(deliveryWorkflowId(deliveryId));
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  if (status !== 'TERMINATED' && status !== 'TIMED_OUT' && status !== 'CANCELLED' && status !== 'FAILED') return null;
  let reason: string | null = null;
  if (status === 'TERMINATED') {
    const history = await handle.fetchHistory();
    reason = history.events?.[history.events.length - 1]?.workflowExecutionTerminatedEventAttributes?.reason || null;
  }
  return { status, reason };
}
