// `wth trigger`, `wth events resend`, `wth deliveries retry`: the public API, with an API key.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './api-client';

interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempt_count: number;
  last_status_code: number | null;
  next_attempt_at: string | null;
}

interface Endpoint {
  id: string;
  kind: 'url' | 'listener';
  url: string | null;
  listener: { name: string; connected: boolean } | null;
}

const print = (json: boolean, value: unknown, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);

async function endpointNames(api: ApiClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let after: string | null = null;
  do {
    const page: { data: Endpoint[]; next_cursor: string | null } = await api.get(
      `/api/v1/webhook_endpoints?limit=100${after ? `&starting_after=${encodeURIComponent(after)}` : ''}`,
    );
    for (const e of page.data)
      names.set(e.id, e.kind === 'listener' ? `listener '${e.listener?.name}'` : (e.url ?? ''));
    after = page.next_cursor;
  } while (after);
  return names;
}

function deliveryLine(d: Delivery, names: Map<string, string>): string {
  const code = d.last_status_code === null ? '' : ` (last answer ${d.last_status_code})`;
  const next = d.status === 'pending' && d.next_attempt_at ? `, next attempt ${d.next_attempt_at}` : '';
  return `  ${d.id} -> ${d.endpoint_id} ${names.get(d.endpoint_id) ?? ''}: ${d.status} after ${d.attempt_count} attempt(s)${code}${next}`;
}

/** Waits until every delivery of the event settled (or `waitMs` passed). */
async function settledDeliveries(api: ApiClient, eventId: string, waitMs: number): Promise<Delivery[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { data } = await api.get<{ data: Delivery[] }>(
      `/api/v1/deliveries?limit=100&event_id=${encodeURIComponent(eventId)}`,
    );
    const settled = data.length > 0 && data.every((d) => d.status !== 'pending' || d.attempt_count > 0);
    if (settled || Date.now() >= deadline) return data.reverse();
    await sleep(300);
  }
}

export async function trigger(api: ApiClient, type: string, opts: { json: boolean; waitMs: number }): Promise<void> {
  const fired = await api.post<{ event: { id: string; type: string }; events: { id: string; type: string }[] }>(
    '/api/v1/test/triggers',
    { type },
  );
  const deliveries = await settledDeliveries(api, fired.event.id, opts.waitMs);
  const names = await endpointNames(api);
  const others = fired.events.filter((e) => e.id !== fired.event.id);
  print(
    opts.json,
    { event: fired.event, events: fired.events, deliveries },
    [
      `Triggered ${fired.event.type}: ${fired.event.id}`,
      ...(others.length ? [`  (setting it up also fired ${others.map((e) => `${e.type} ${e.id}`).join(', ')})`] : []),
      deliveries.length
        ? `Delivered to ${deliveries.length} endpoint(s):\n${deliveries.map((d) => deliveryLine(d, names)).join('\n')}`
        : 'No endpoint of this integration receives it in test mode (start `wth listen`, or add an endpoint).',
    ].join('\n'),
  );
}

export async function resendEvent(
  api: ApiClient,
  eventId: string,
  opts: { json: boolean; endpoint?: string },
): Promise<void> {
  const res = await api.post<{ deliveries: Delivery[] }>(
    `/api/v1/events/${encodeURIComponent(eventId)}/resend`,
    opts.endpoint ? { endpoint_id: opts.endpoint } : {},
  );
  const names = await endpointNames(api);
  print(
    opts.json,
    res,
    `Re-sending ${eventId} to ${res.deliveries.length} endpoint(s):\n${res.deliveries.map((d) => deliveryLine(d, names)).join('\n')}`,
  );
}

export async function retryDelivery(api: ApiClient, deliveryId: string, opts: { json: boolean }): Promise<void> {
  const d = await api.post<Delivery>(`/api/v1/deliveries/${encodeURIComponent(deliveryId)}/retry`);
  print(opts.json, d, `Retrying ${d.id} (${d.event_type} ${d.event_id} -> ${d.endpoint_id}): ${d.status}`);
}
