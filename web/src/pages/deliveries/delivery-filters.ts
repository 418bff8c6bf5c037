// The Delivery Log's filters and page cursor live in the URL, so a filtered view can be shared
// and survives a reload: ?mode=live&status=failed,pending&endpoint=we_…&type=…&from=…&to=…&after=dlv_…
import type { DeliveryFilters, DeliveryStatus } from '../../api/activity';

export const STATUSES: DeliveryStatus[] = ['succeeded', 'pending', 'failed'];

export interface LogView {
  livemode: boolean;
  filters: DeliveryFilters;
  /** The cursor of an older page; absent on the newest page (the one that updates itself). */
  after: string;
}

export function readView(search: string, defaultLive: boolean): LogView {
  const q = new URLSearchParams(search);
  const mode = q.get('mode');
  return {
    livemode: mode === 'live' ? true : mode === 'test' ? false : defaultLive,
    filters: {
      statuses: (q.get('status') ?? '')
        .split(',')
        .filter((s): s is DeliveryStatus => (STATUSES as string[]).includes(s)),
      endpointId: q.get('endpoint') ?? '',
      eventType: q.get('type') ?? '',
      from: q.get('from') ?? '',
      to: q.get('to') ?? '',
    },
    after: q.get('after') ?? '',
  };
}

export function writeView(v: LogView): string {
  const q = new URLSearchParams();
  q.set('mode', v.livemode ? 'live' : 'test');
  if (v.filters.statuses.length) q.set('status', v.filters.statuses.join(','));
  if (v.filters.endpointId) q.set('endpoint', v.filters.endpointId);
  if (v.filters.eventType) q.set('type', v.filters.eventType);
  if (v.filters.from) q.set('from', v.filters.from);
  if (v.filters.to) q.set('to', v.filters.to);
  if (v.after) q.set('after', v.after);
  return q.toString();
}

export const hasFilters = (f: DeliveryFilters) =>
  f.statuses.length > 0 || !!f.endpointId || !!f.eventType || !!f.from || !!f.to;

/** `<input type="datetime-local">` works in local time without a zone; the API wants ISO 8601. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function isoToLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
