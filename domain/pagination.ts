import type { Knex } from 'knex';
import type { Queryable } from '../lib/db';
import { ValidationError } from '../api/errors';
import { whereScope, type Scope } from './actor';
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

/**
 * Keyset pagination on the table's `seq`: a cursor is the id of the last row seen, resolved to
 * its `seq` within the caller's scope (a foreign or unknown id is a 400, never a hint that it
 * exists). Every row that existed when paging started is returned exactly once however many
 * rows are inserted meanwhile: new rows get higher `seq`s, so they land after the cursor
 * (ascending lists) or before the first page (newest-first lists), never in between.
 */
export async function paginate<T extends { id: string }>(
  db: Queryable,
  table: string,
  scope: Scope,
  page: PageRequest,
  opts: { direction: 'asc' | 'desc'; filter?: (q: Knex.QueryBuilder) => void; validId?: (id: string) => boolean },
): Promise<Page<T>> {
  const q = db(table).where(whereScope(scope));
  opts.filter?.(q);
  if (page.startingAfter) {
    const cursor = (opts.validId ?? isUuid)(page.startingAfter)
      ? await db(table)
          .where({ ...whereScope(scope), id: page.startingAfter })
          .first('seq')
      : undefined;
    if (!cursor) {
      throw new ValidationError(
        `starting_after '${page.startingAfter}' is not an object in this list.`,
        'starting_after',
        'invalid_cursor',
      );
    }
    q.where('seq', opts.direction === 'asc' ? '>' : '<', cursor.seq);
  }
  const rows = (await q.orderBy('seq', opts.direction).limit(page.limit + 1)) as T[];
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, hasMore, nextCursor: hasMore ? (rows[rows.length - 1]?.id ?? null) : null };
}
