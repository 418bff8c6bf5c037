// How this service names things in Temporal: workflow types and ids, the signal, search
// attributes, and the start options every start of a workflow shares. Pure builders and
// constants only (the SDK's common types), so the workflows import it from inside Temporal's
// deterministic sandbox; the client side of the same traffic is ./gateway.ts.
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type WorkflowIdReusePolicy,
} from '@temporalio/common';

export const WORKFLOW_TYPES = {
  event: 'eventWorkflow',
  delivery: 'deliveryWorkflow',
  recovery: 'recoveryWorkflow',
} as const;

// Ids are business keys: a second start for the same event or delivery finds the first.
export const eventWorkflowId = (eventId: string): string => `event:${eventId}`;
export const deliveryWorkflowId = (deliveryId: string): string => `delivery:${deliveryId}`;
export const recoveryWorkflowId = (recoveryId: string): string => `recovery:${recoveryId}`;

/** Signal that cuts a delivery's wait short: the next attempt starts now (trigger `manual`). */
export const RETRY_NOW_SIGNAL = 'retryNow';

/** Custom search attributes operators filter on in Temporal UI. */
export const SA = {
  dealerId: defineSearchAttributeKey('WthDealerId', SearchAttributeType.KEYWORD),
  eventId: defineSearchAttributeKey('WthEventId', SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey('WthEventType', SearchAttributeType.KEYWORD),
  endpointId: defineSearchAttributeKey('WthEndpointId', SearchAttributeType.KEYWORD),
  deliveryStatus: defineSearchAttributeKey('WthDeliveryStatus', SearchAttributeType.KEYWORD),
  livemode: defineSearchAttributeKey('WthLivemode', SearchAttributeType.BOOL),
} as const;

export interface EventKeys {
  id: string;
  dealerId: string;
  type: string;
  livemode: boolean;
}

/** Options of the one start of an event's workflow (the API after commit, or the outbox relay). */
export function eventWorkflowStart(event: EventKeys) {
  return {
    workflowId: eventWorkflowId(event.id),
    // At most once per event: a running or closed workflow with this id wins.
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as WorkflowIdReusePolicy,
    typedSearchAttributes: [
      { key: SA.dealerId, value: event.dealerId },
      { key: SA.eventId, value: event.id },
      { key: SA.eventType, value: event.type },
      { key: SA.livemode, value: event.livemode },
    ] satisfies SearchAttributePair[],
    staticSummary: `${event.type} ${event.id}`,
  };
}

export interface DeliveryKeys {
  deliveryId: string;
  dealerId: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  livemode: boolean;
}

/**
 * Options shared by a delivery's first start (a child of the event workflow, `automatic`) and a
 * re-send from the API (`manual`, signal-with-start).
 */
export function deliveryWorkflowStart(d: DeliveryKeys, trigger: 'automatic' | 'manual') {
  return {
    workflowId: deliveryWorkflowId(d.deliveryId),
    // A delivery already started is never started twice by its event; a re-send may start a
    // new run once the last one has closed.
    workflowIdReusePolicy: (trigger === 'automatic' ? 'REJECT_DUPLICATE' : 'ALLOW_DUPLICATE') as WorkflowIdReusePolicy,
    typedSearchAttributes: [
      { key: SA.dealerId, value: d.dealerId },
      { key: SA.eventId, value: d.eventId },
      { key: SA.eventType, value: d.eventType },
      { key: SA.endpointId, value: d.endpointId },
      { key: SA.livemode, value: d.livemode },
      { key: SA.deliveryStatus, value: 'pending' },
    ] satisfies SearchAttributePair[],
    memo: { deliveryId: d.deliveryId, eventId: d.eventId, eventType: d.eventType, endpointId: d.endpointId },
    staticSummary:
      trigger === 'automatic'
        ? `${d.eventType} ${d.eventId} → ${d.endpointId}`
        : `manual re-send of ${d.eventType} ${d.eventId} → ${d.endpointId}`,
  };
}
