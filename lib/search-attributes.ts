// Custom search attributes operators filter on in Temporal UI. Shared by the client (typed
// search attributes at start) and workflows (upserts), so it imports nothing but the SDK.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  dealerId: defineSearchAttributeKey('WthDealerId', SearchAttributeType.KEYWORD),
  eventId: defineSearchAttributeKey('WthEventId', SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey('WthEventType', SearchAttributeType.KEYWORD),
  endpointId: defineSearchAttributeKey('WthEndpointId', SearchAttributeType.KEYWORD),
  deliveryStatus: defineSearchAttributeKey('WthDeliveryStatus', SearchAttributeType.KEYWORD),
  livemode: defineSearchAttributeKey('WthLivemode', SearchAttributeType.BOOL),
} as const;
