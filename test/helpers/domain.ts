// Shortcuts for tests of the domain API: listings made the way the dashboard makes them, and
// the events a dealer's changes recorded.
import type { Db } from '../../lib/db';
import type { AppDeps } from '../../api/deps';
import { dashboardActor } from '../../domain/platform/actor';
import {
  createListing,
  setCustomChannel,
  type ListingAttributes,
  type ListingRow,
} from '../../domain/commerce/listings';
import { toEnvelope, type EventRow } from '../../domain/events/event-store';
import { EVENT_ENVELOPE_SCHEMAS } from '../../api/schemas/events';

let counter = 0;

export function listingAttrs(overrides: Partial<ListingAttributes> = {}): ListingAttributes {
  counter += 1;
  return {
    brand: 'Rolex',
    model: 'Submariner Date',
    reference: `REF-${process.pid}-${counter}`,
    year: 2021,
    condition: 'very_good',
    price: { amount: 1199000, currency: 'EUR' },
    photos: ['https://img.example.test/1.jpg'],
    ...overrides,
  };
}

export async function makeListing(
  deps: AppDeps,
  dealerId: string,
  opts: { livemode?: boolean; published?: boolean; attrs?: Partial<ListingAttributes> } = {},
): Promise<ListingRow> {
  const actor = await dashboardActor(deps.db, dealerId, opts.livemode ?? false);
  const row = await createListing(deps.db, actor, listingAttrs(opts.attrs));
  if (opts.published === false) return row;
  return setCustomChannel(deps, actor, { dealerId }, row.id, true);
}

/**
 * A dealer's events, oldest first, optionally only those after a seq mark. Each one's envelope
 * must match the schema the OpenAPI document gives its type under `webhooks`.
 */
export async function eventsOf(db: Db, dealerId: string, afterSeq = '0'): Promise<EventRow[]> {
  const rows = await db<EventRow>('events').where({ dealer_id: dealerId }).where('seq', '>', afterSeq).orderBy('seq');
  for (const row of rows) {
    const strict = EVENT_ENVELOPE_SCHEMAS[row.type].strict().safeParse(toEnvelope(row));
    if (!strict.success)
      throw new Error(`${row.type} ${row.id} does not match its webhook schema: ${strict.error.message}`);
  }
  return rows;
}

/** The highest event seq so far: tests take it before an action to see only that action's events. */
export async function eventMark(db: Db): Promise<string> {
  const row = await db('events').max('seq as max').first();
  return String(row?.max ?? 0);
}

export async function dashboardIntegrationId(db: Db, dealerId: string): Promise<string> {
  const row = await db('integrations').where({ dealer_id: dealerId, kind: 'dashboard' }).first('id');
  return row.id as string;
}
