import type { z } from '../openapi/zod';
import type { Page } from '../../domain/platform/pagination';
import { presentPage } from './list';
import type { AttemptRow, DeliveryRow } from '../../domain/webhooks/delivery-store';
import type { RecoveryRow } from '../../domain/webhooks/delivery-service';
import { toEnvelope, type EventRow } from '../../domain/events/event-store';
import { maskedWebhookHeaders } from '../../lib/webhook-headers';
import type {
  DashboardDeliverySchema,
  DeliveryAttemptSchema,
  DeliverySchema,
  RecoverySchema,
} from '../schemas/deliveries';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentAttempt(d: DeliveryRow, a: AttemptRow): z.infer<typeof DeliveryAttemptSchema> {
  return {
    attempt_number: a.attempt_number,
    trigger: a.trigger,
    started_at: a.started_at.toISOString(),
    duration_ms: a.duration_ms,
    status_code: a.status_code,
    error: a.error,
    response_body_preview: a.response_body_preview,
    signature_header: a.signature_header,
    request_headers: maskedWebhookHeaders({
      signature: a.signature_header,
      eventId: d.event_id,
      eventType: d.event_type,
      deliveryId: d.id,
      attemptNumber: a.attempt_number,
    }),
  };
}

export function presentDelivery(d: DeliveryRow, attempts?: AttemptRow[]): z.infer<typeof DeliverySchema> {
  return {
    id: d.id,
    object: 'delivery',
    livemode: d.livemode,
    event_id: d.event_id,
    event_type: d.event_type,
    endpoint_id: d.endpoint_id,
    status: d.status,
    attempt_count: d.attempt_count,
    next_attempt_at: iso(d.next_attempt_at),
    last_attempt_at: iso(d.last_attempt_at),
    last_status_code: d.last_status_code,
    status_reason: d.status_reason ?? null,
    created_at: d.created_at.toISOString(),
    ...(attempts ? { attempts: attempts.map((a) => presentAttempt(d, a)) } : {}),
  };
}

/** The dashboard's delivery detail: every attempt and the event body it carries. */
export function presentDashboardDelivery(
  d: DeliveryRow,
  attempts: AttemptRow[],
  event: EventRow,
): z.infer<typeof DashboardDeliverySchema> {
  return { ...presentDelivery(d), attempts: attempts.map((a) => presentAttempt(d, a)), event: toEnvelope(event) };
}

export const presentDeliveryList = (page: Page<DeliveryRow>) => presentPage(page, (d) => presentDelivery(d));

export function presentRecovery(r: RecoveryRow): z.infer<typeof RecoverySchema> {
  return {
    id: r.id,
    object: 'recovery',
    endpoint_id: r.endpoint_id,
    since: r.since.toISOString(),
    status: r.status,
    count: r.count,
    resent: r.resent,
    created_at: r.created_at.toISOString(),
    completed_at: iso(r.completed_at),
  };
}

/** What a recovery would re-send, without starting it. */
export function presentRecoveryPreview(endpointId: string, since: Date, count: number): z.infer<typeof RecoverySchema> {
  return {
    id: null,
    object: 'recovery',
    endpoint_id: endpointId,
    since: since.toISOString(),
    status: 'preview',
    count,
    resent: 0,
    created_at: null,
    completed_at: null,
  };
}
