import type { Knex } from 'knex';
import { ValidationError } from '../errors';
import { isUuid } from './sql';

export interface Page<T> {
  rows: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  startingAfter?: string;
}

export interface PageOptions {
  direction: 'asc' | 'desc';
  /** Narrows the list (status, type...); the cursor is still looked up in the whole scope. */
  filter?: (q: Knex.QueryBuilder) => void;
  /** Ids that cannot name a row are refused before querying (a UUID column errors on the cast). */
  validId?: (id: string) => boolean;
  /** Table alias when the scoped query joins (e.g. `d` for `deliveries as d`). */
  alias?: string;
}

/** The one answer for a `starting_after` that is not a row of this list, on every list. */
export const invalidCursor = (startingAfter: string): ValidationError =>
  new ValidationError(
    `starting_after '${startingAfter}' is not an object in this list.`,
    'starting_after',
    'invalid_cursor',
  );

/**
 * Keyset pagination on the table's `seq`: a cursor is the id of the last row seen, resolved to
 * its `seq` within the caller's scope (a foreign or unknown id is a 400 `invalid_cursor`, never
 * a hint that it exists). Every row that existed when paging started is returned exactly once
 * however many rows are inserted meanwhile: new rows get higher `seq`s, so they land after the
 * cursor (ascending lists) or before the first page (newest-first lists), never in between.
 *
 * `scoped` builds a fresh query of the rows the caller may see; it is called twice (list and
 * cursor lookup), so the scope is written once.
 */
export async function paginate<T extends { id: string }>(
  scoped: () => Knex.QueryBuilder,
  page: PageRequest,
  opts: PageOptions,
): Promise<Page<T>> {
  const col = (name: string) => (opts.alias ? `${opts.alias}.${name}` : name);
  const q = scoped();
  opts.filter?.(q);
  if (page.startingAfter) {
    const cursor = (opts.validId ?? isUuid)(page.startingAfter)
      ? ((await scoped().where(col('id'), page.startingAfter).first(col('seq'))) as { seq: string } | undefined)
      : undefined;
    if (!cursor) throw invalidCursor(page.startingAfter);
    q.where(col('seq'), opts.direction === 'asc' ? '>' : '<', cursor.seq);
  }
  const rows = (await q.orderBy(col('seq'), opts.direction).limit(page.limit + 1)) as T[];
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, hasMore, nextCursor: hasMore ? (rows[rows.length - 1]?.id ?? null) : null };
}
