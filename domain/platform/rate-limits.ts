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
  const claim = await claimHits(db, bucket, 1, windowMs);
  return rateWindow(limit, claim.count, claim.resetMs);
}

interface Claim {
  /** The window's count including the hits just claimed. */
  count: number;
  resetMs: number;
  /** Identifies the window, so hits leased in one are never spent in the next. */
  windowStart: string;
}

async function claimHits(db: Queryable, bucket: string, hits: number, windowMs: number): Promise<Claim> {
  const { rows } = await db.raw<{ rows: { count: number; reset_ms: string; window_start: string }[] }>(
    // A counter lost in a Postgres crash costs nothing, so this per-request write skips the
    // WAL flush wait (synchronous_commit off for this statement's own transaction only).
    `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
     INSERT INTO rate_limit_counters AS c (bucket, window_start, count)
     SELECT ?, now(), ? FROM relaxed
     ON CONFLICT (bucket) DO UPDATE SET
       window_start = CASE WHEN c.window_start <= now() - make_interval(secs => ?) THEN now() ELSE c.window_start END,
       count = CASE WHEN c.window_start <= now() - make_interval(secs => ?) THEN EXCLUDED.count ELSE c.count + EXCLUDED.count END
     RETURNING c.count, (extract(epoch from (c.window_start - now())) * 1000 + ?)::bigint AS reset_ms,
       c.window_start::text AS window_start`,
    [bucket, hits, windowMs / 1000, windowMs / 1000, windowMs],
  );
  const row = rows[0] as { count: number; reset_ms: string; window_start: string };
  return { count: row.count, resetMs: Number(row.reset_ms), windowStart: row.window_start };
}

function rateWindow(limit: number, count: number, resetMs: number): RateWindow {
  return {
    limit,
    count,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
    exceeded: count > limit,
  };
}

/** Hits claimed per round trip at most, and as a share of the limit (so small limits stay exact). */
const MAX_LEASE = 100;
const LEASE_SHARE_OF_LIMIT = 1 / 50;

/**
 * hitRateLimit for hot buckets: a process claims several hits of the shared count in one upsert
 * and spends them locally, so a busy key costs one write per lease, not per request. The limit
 * still holds across processes (no process spends a hit it did not claim); the price is that
 * hits another process has claimed and not yet spent count as used, so with N processes a
 * client can be held to the limit minus up to (N-1) leases (2 % of the limit each). Limits under
 * 100 a window lease one hit at a time, exactly like hitRateLimit.
 */
export class LeasedRateLimiter {
  private readonly leases = new Map<
    string,
    { windowStart: string; unspent: number; count: number; resetsAt: number }
  >();

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(bucket: string, limit: number, windowMs: number): Promise<RateWindow> {
    const lease = this.leases.get(bucket);
    if (lease && lease.unspent > 0 && lease.resetsAt > this.now()) {
      lease.unspent--;
      return rateWindow(limit, lease.count - lease.unspent, lease.resetsAt - this.now());
    }
    const size = Math.max(1, Math.min(MAX_LEASE, Math.floor(limit * LEASE_SHARE_OF_LIMIT)));
    const claim = await claimHits(this.db, bucket, size, windowMs);
    // Of the hits claimed, only those still under the limit can be spent.
    const granted = Math.max(0, Math.min(size, limit - (claim.count - size)));
    if (granted === 0) return rateWindow(limit, claim.count, claim.resetMs);

    const current = this.leases.get(bucket);
    const unspent = granted - 1 + (current && current.windowStart === claim.windowStart ? current.unspent : 0);
    const count = Math.max(
      claim.count - (size - granted),
      current?.windowStart === claim.windowStart ? current.count : 0,
    );
    if (this.leases.size >= 10_000 && !current) this.leases.delete(this.leases.keys().next().value as string);
    this.leases.set(bucket, { windowStart: claim.windowStart, unspent, count, resetsAt: this.now() + claim.resetMs });
    return rateWindow(limit, count - unspent, claim.resetMs);
  }
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
