import type { Page } from '../../domain/platform/pagination';

export function presentPage<R, T>(page: Page<R>, present: (row: R) => T) {
  return {
    object: 'list' as const,
    data: page.rows.map(present),
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  };
}
