import type { Queryable } from '../../lib/db';

export interface RateWindow {
  limit: number;
  count: number;
  remaining: number;
  /** Seconds until the window ends and the count starts again. */
  resetSeconds: number;
  exceeded: boolean;
}

/**
 * Counts one hit against `bucket` in a window of `windowMs` that opens on the first hit after
 * the previous window closed. One atomic upsert on Postgres' clock, so several API processes
 * share the count and never disagree about the window.
 */
export async function hitRateLimit(
  db: Queryable,
  bucket: string,
  limit: number,
  windowMs: number,
): Promise<RateWindow> {
  const { rows } = await db.raw<{ rows: { count: number; reset_ms: string }[] }>(
    // A counter lost in a Postgres crash costs nothing, so this per-request write skips the
    // WAL flush wait (synchronous_commit off for this statement's own transaction only).
    `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
     INSERT INTO rate_limit_counters AS c (bucket, window_start, count)
     SELECT ?, now(), 1 FROM relaxed
     ON CONFLICT (bucket) DO UPDATE SET
       window_start = CASE WHEN c.window_start <= now() - make_interval(secs => ?) THEN now() ELSE c.window_start END,
       count = CASE WHEN c.window_start <= now() - make_interval(secs => ?) THEN 1 ELSE c.count + 1 END
     RETURNING c.count, (extract(epoch from (c.window_start - now())) * 1000 + ?)::bigint AS reset_ms`,
    [bucket, windowMs / 1000, windowMs / 1000, windowMs],
  );
  const row = rows[0] as { count: number; reset_ms: string };
  const resetSeconds = Math.max(1, Math.ceil(Number(row.reset_ms) / 1000));
  return {
    limit,
    count: row.count,
    remaining: Math.max(0, limit - row.count),
    resetSeconds,
    exceeded: row.count > limit,
  };
}

/** Forgets a bucket, e.g. a login's failures once the password was right. */
export async function clearRateLimit(db: Queryable, bucket: string): Promise<void> {
  await db('rate_limit_counters').where({ bucket }).delete();
}

/** Windows that ended long ago are dead weight; an expired row would be reset on its next hit anyway. */
export async function purgeRateLimits(db: Queryable, olderThanMs: number): Promise<number> {
  return db('rate_limit_counters')
    .where('window_start', '<', db.raw('now() - make_interval(secs => ?)', [olderThanMs / 1000]))
    .delete();
}
