// The generated union narrows on `type`. The @ts-expect-error lines are checked by `npm run lint`
// (tsc): if the types stopped rejecting them, the unused directive fails the type check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildExampleEvent,
  EXAMPLE_EVENTS,
  WEBHOOK_EVENT_TYPES,
  type OrderReceivedEvent,
  type WebhookEvent,
  type WebhookEventOf,
} from '@watchtraderhub/webhooks';
import { describeEvent } from '../../packages/webhooks/examples/handle-event';

function previousStatus(event: WebhookEvent): string | undefined {
  if (event.type === 'order.cancelled') return event.data.previous_attributes.status;
  // @ts-expect-error listing.published has no previous_attributes
  if (event.type === 'listing.published') return event.data.previous_attributes;
  return undefined;
}

test('narrowing on type gives each event its data.object and previous_attributes', () => {
  const cancelled: WebhookEventOf<'order.cancelled'> = buildExampleEvent('order.cancelled');
  assert.equal(previousStatus(cancelled), 'pending');
  const received: OrderReceivedEvent = buildExampleEvent('order.received');
  assert.equal(received.data.object.line_items[0]?.sku, '116610LN');
  // @ts-expect-error an order's status is one of three
  const bad: OrderReceivedEvent['data']['object']['status'] = 'shipped';
  assert.ok(bad);
  // @ts-expect-error not an event type
  assert.throws(() => buildExampleEvent('order.shipped'), TypeError);
});

test('buildExampleEvent: the documented example with a fresh id, overrides on top', () => {
  for (const type of WEBHOOK_EVENT_TYPES) {
    const a = buildExampleEvent(type);
    const b = buildExampleEvent(type);
    assert.match(a.id, /^evt_[0-9A-Za-z]{24}$/);
    assert.notEqual(a.id, b.id, 'receivers deduplicate on the id');
    assert.deepEqual({ ...a, id: EXAMPLE_EVENTS[type].id }, EXAMPLE_EVENTS[type]);
    assert.equal(typeof describeEvent(a), 'string');
  }
  const live = buildExampleEvent('listing.updated', {
    id: 'evt_fixed',
    livemode: true,
    data: { object: { id: 'l1', object: 'listing' }, previous_attributes: { brand: 'Tudor' } },
  });
  assert.equal(live.id, 'evt_fixed');
  assert.equal(live.livemode, true);
  assert.deepEqual(live.data.previous_attributes, { brand: 'Tudor' });
  // The examples themselves are not shared: changing one built event changes no other.
  live.data.object.id = 'changed';
  assert.equal(EXAMPLE_EVENTS['listing.updated'].data.object.id, '24f0ebb1-73d7-4e99-9901-821078594271');
});
