import { z } from '../openapi/zod';
import { LISTENER_NAME_PATTERN } from '../../domain/webhooks/listeners';
import { EnabledEvents, WebhookEndpointSchema } from './webhook-endpoints';
import { queryInteger } from './list';

const SessionId = z.uuid().openapi({
  description: 'Chosen by the `wth listen` process (a UUID), the same across its reconnects.',
});

export const ListenerIdParams = z.object({ id: z.string().min(1).max(64) });

export const RegisterListenerBody = z
  .strictObject({
    name: z.string().regex(LISTENER_NAME_PATTERN, 'letters, digits, `.`, `_` or `-`, at most 64').openapi({
      description: 'Stable per machine: registering the same name again reuses the listener and its secret.',
      example: 'dev-laptop',
    }),
    enabled_events: EnabledEvents.optional(),
  })
  .openapi('RegisterListener');

export const ListenerSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description: "The listener's current signing secret (`whsec_…`), the same on every run until rotated.",
  }),
  created: z.boolean().openapi({ description: 'False when a listener of this name already existed.' }),
}).openapi('Listener');

export const ListenerStreamQuery = z.strictObject({
  session_id: SessionId.optional().openapi({
    description:
      'Chosen by the `wth listen` process (a UUID), the same across its reconnects so it can take over from its own ' +
      'previous connection. Without one, the connection is a session of its own.',
  }),
  concurrency: queryInteger(1, 16)
    .default(1)
    .openapi({ description: 'Deliveries out unacknowledged at once; 1 (default) keeps event order.' }),
});

export const ListenerStreamSchema = z.string().openapi({
  description:
    'Server-sent events. `ready` (data: listener id, name, heartbeat_ms), then per hand-over `delivery` ' +
    '(id: the hand-over id; data: `handoff_id`, `delivery_id`, `event_id`, `event_type`, `attempt`, `headers`, ' +
    '`body` — POST `body` byte for byte with `headers` — and `ack_by`), `ping` at least every 15 s, and `error` ' +
    '(data: `code`, `message`) before the server ends the stream. Hand-overs not acknowledged are sent again ' +
    'on the next connection.',
});

export const ListenerAckBody = z
  .strictObject({
    session_id: SessionId,
    handoff_id: z.string().regex(/^\d{1,18}$/, 'a hand-over id from the stream'),
    status_code: z
      .int()
      .min(100)
      .max(599)
      .nullable()
      .openapi({ description: "The local server's HTTP status; null when it did not answer." }),
    error: z
      .string()
      .max(500)
      .nullable()
      .openapi({ description: 'Why the local server did not answer (refused, timeout…).' }),
    response_body_preview: z.string().max(16_384).nullable(),
    duration_ms: z.int().min(0).max(3_600_000),
  })
  .openapi('ListenerAck');

export const ListenerAckSchema = z
  .object({
    object: z.literal('listener_ack'),
    handoff_id: z.string(),
    result: z.enum(['accepted', 'already_acknowledged']),
  })
  .openapi('ListenerAckResult');

export const ListenerSessionBody = z.strictObject({ session_id: SessionId }).openapi('ListenerSession');

export const ListenerDisconnectSchema = z
  .object({ object: z.literal('listener'), id: z.string(), connected: z.literal(false) })
  .openapi('ListenerDisconnected');

export const ListenerWakeSchema = z
  .object({
    object: z.literal('listener_wake'),
    id: z.string(),
    count: z.int().openapi({ description: 'Pending deliveries told to attempt now.' }),
  })
  .openapi('ListenerWake');
