import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { purgeIdempotencyKeys } from '../domain/platform/idempotency-keys';
import { purgeRateLimits } from '../domain/platform/rate-limits';
import { every } from './periodic';

/** Rate-limit windows are a minute long; an hour-old one can never be read again. */
const RATE_WINDOW_RETENTION_MS = 3_600_000;

/**
 * Deletes idempotency keys past their 24 h and dead rate-limit windows, beside the dispatcher
 * (off the API's request path). Deletes are idempotent, so every worker replica may run it.
 */
export function startHousekeeping(deps: { db: Db; logger: Logger }, opts: { intervalMs: number }) {
  return every(
    opts.intervalMs,
    async () => {
      const [keys, windows] = await Promise.all([
        purgeIdempotencyKeys(deps.db),
        purgeRateLimits(deps.db, RATE_WINDOW_RETENTION_MS),
      ]);
      if (keys + windows > 0) deps.logger.info({ keys, windows }, 'housekeeping purged expired rows');
    },
    { logger: deps.logger, what: 'housekeeping' },
  );
}
