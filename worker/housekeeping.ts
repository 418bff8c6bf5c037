import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { purgeIdempotencyKeys } from '../domain/platform/idempotency-keys';
import { purgeRateLimits } from '../domain/platform/rate-limits';
import { purgeHandoffs } from '../domain/webhooks/listener-handoffs';
import { every } from './periodic';

/** Rate-limit windows are a minute long; an hour-old one can never be read again. */
const RATE_WINDOW_RETENTION_MS = 3_600_000;
/** A `wth listen` hand-over is settled within minutes; a day-old row is only history. */
const HANDOFF_RETENTION_MS = 24 * 3_600_000;

/**
 * Deletes idempotency keys past their 24 h, dead rate-limit windows and old listener hand-overs, beside the dispatcher
 * (off the API's request path). Deletes are idempotent, so every worker replica may run it.
 */
export function startHousekeeping(deps: { db: Db; logger: Logger }, opts: { intervalMs: number }) {
  return every(
    opts.intervalMs,
    async () => {
      const [keys, windows, handoffs] = await Promise.all([
        purgeIdempotencyKeys(deps.db),
        purgeRateLimits(deps.db, RATE_WINDOW_RETENTION_MS),
        purgeHandoffs(deps.db, HANDOFF_RETENTION_MS),
      ]);
      if (keys + windows + handoffs > 0) {
        deps.logger.info({ keys, windows, handoffs }, 'housekeeping purged expired rows');
      }
    },
    { logger: deps.logger, what: 'housekeeping' },
  );
}
