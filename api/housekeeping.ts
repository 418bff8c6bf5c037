import type { Middleware } from 'koa';
import { purgeIdempotencyKeys } from '../domain/platform/idempotency-keys';
import { purgeRateLimits } from '../domain/platform/rate-limits';
import type { AppDeps } from './deps';

const EVERY_MS = 60_000;

/**
 * Deletes idempotency keys past their 24 h and long-dead rate-limit windows, at most once a
 * minute per process and off the request's path, so no extra process or cron is needed.
 */
export function housekeeping(deps: AppDeps): Middleware {
  // Not at start-up: a process that only lives briefly (a test, a CLI call) never races its pool.
  let last = Date.now();
  return async (_ctx, next) => {
    const now = Date.now();
    if (now - last >= EVERY_MS) {
      last = now;
      void Promise.all([purgeIdempotencyKeys(deps.db), purgeRateLimits(deps.db, 60 * EVERY_MS)]).catch((err) =>
        deps.logger.warn({ err }, 'housekeeping failed'),
      );
    }
    await next();
  };
}
