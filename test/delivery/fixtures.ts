// Shared set-up for delivery tests: short retry schedules, endpoints and events straight
// through the domain layer (the same calls the API makes).
import type { TestApi } from '../helpers/stack';
import { withEvents } from '../../domain/platform/unit-of-work';
import type { EventRow } from '../../domain/events/event-store';
import type { EventOrigin, EventType } from '../../domain/events/catalog';
import { insertEndpoint, type EndpointRow } from '../../domain/webhooks/endpoint-store';
import type { DeliveryRow, AttemptRow } from '../../domain/webhooks/delivery-store';
import { waitUntil } from '../helpers/http';

/** Seconds-long schedules so retries happen within a test; no jitter so waits are exact. */
export const FAST = {
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '200,400,800',
  WEBHOOK_RETRY_SCHEDULE_LIVE_MS: '200,400,800',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_ATTEMPT_TIMEOUT_MS: '1500',
  WEBHOOK_RETRY_AFTER_CAP_MS: '5000',
};

export async function addEndpoint(
  api: TestApi,
  input: { dealerId: string; integrationId: string; url: string; livemode?: boolean; enabledEvents?: string[] },
): Promise<{ endpoint: EndpointRow; secret: string }> {
  return insertEndpoint(api.deps.db, api.deps.config.secretsKey, {
    dealerId: input.dealerId,
    integrationId: input.integrationId,
    livemode: input.livemode ?? false,
    url: input.url,
    enabledEvents: input.enabledEvents,
  });
}

export async function emitEvent(
  api: TestApi,
  input: {
    dealerId: string;
    type: EventType;
    livemode?: boolean;
    origin?: EventOrigin;
    originIntegrationId?: string | null;
    object?: Record<string, unknown>;
  },
): Promise<EventRow> {
  // Tests reason about the event's workflow right after this returns, so wait for its start.
  return withEvents(
    api.deps,
    async (_trx, emit) =>
      emit({
        dealerId: input.dealerId,
        livemode: input.livemode ?? false,
        type: input.type,
        object: input.object ?? { id: 'obj_1', object: input.type.split('.')[0] as string },
        origin: input.origin ?? 'dashboard',
        originIntegrationId: input.originIntegrationId ?? null,
      }),
    { awaitStarts: true },
  );
}

export async function integrationId(api: TestApi, dealerId: string, kind: string): Promise<string> {
  const row = await api.deps.db('integrations').where({ dealer_id: dealerId, kind }).first();
  return row.id as string;
}

export async function deliveriesOf(api: TestApi, eventId: string): Promise<DeliveryRow[]> {
  return api.deps.db<DeliveryRow>('deliveries').where({ event_id: eventId }).orderBy('seq');
}

export async function attemptsOf(api: TestApi, deliveryId: string): Promise<AttemptRow[]> {
  return api.deps.db<AttemptRow>('delivery_attempts').where({ delivery_id: deliveryId }).orderBy('attempt_number');
}

/** Waits until the delivery of `eventId` to `endpointId` reaches a final status. */
export async function settled(
  api: TestApi,
  eventId: string,
  endpointId: string,
  timeoutMs = 30_000,
): Promise<DeliveryRow> {
  return waitUntil(
    async () => {
      const d = await api.deps
        .db<DeliveryRow>('deliveries')
        .where({ event_id: eventId, endpoint_id: endpointId })
        .first();
      return d && d.status !== 'pending' ? d : null;
    },
    { timeoutMs, what: `delivery of ${eventId} to ${endpointId} to settle` },
  );
}
