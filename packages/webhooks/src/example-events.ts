// Example events for receivers' tests, from the examples in the OpenAPI document.
import { EXAMPLE_EVENTS } from './generated/examples.js';
import type { WebhookEventOf, WebhookEventType } from './generated/events.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomEventId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  return `evt_${Array.from(bytes, (b) => BASE62[b % 62]).join('')}`;
}

export type ExampleEventOverrides<T extends WebhookEventType> = Partial<
  Pick<WebhookEventOf<T>, 'id' | 'created_at' | 'livemode' | 'api_version' | 'data'>
>;

/**
 * The documented example of an event type, with a fresh `evt_…` id (receivers deduplicate on
 * it) unless `overrides` sets one; `overrides` replaces top-level fields, e.g. `data`.
 */
export function buildExampleEvent<T extends WebhookEventType>(
  type: T,
  overrides: ExampleEventOverrides<T> = {},
): WebhookEventOf<T> {
  const example = (EXAMPLE_EVENTS as Record<string, unknown>)[type];
  if (!example) throw new TypeError(`unknown event type "${String(type)}"`);
  return { ...(structuredClone(example) as WebhookEventOf<T>), id: randomEventId(), ...structuredClone(overrides) };
}
