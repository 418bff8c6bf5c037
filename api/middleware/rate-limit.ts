import type { Middleware } from 'koa';
import type { ApiKeyAuth } from '../auth';
import type { AppDeps } from '../deps';
import { RateLimitError } from '../errors';

const MINUTE = 60_000;

/**
 * Per API key, API_RATE_LIMIT_PER_MINUTE requests a minute, counted in Postgres so the limit
 * holds across every API process (in leases of several requests for busy keys). The RateLimit-* headers (IETF draft names) go on every
 * authenticated answer, the 429 and errors included.
 */
export function apiKeyRateLimit(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    const auth = ctx.state.auth as ApiKeyAuth;
    const limit = deps.config.API_RATE_LIMIT_PER_MINUTE;
    const w = await deps.rateLimiter.hit(`api_key:${auth.apiKeyId}`, limit, MINUTE);
    ctx.set('RateLimit-Limit', String(w.limit));
    ctx.set('RateLimit-Remaining', String(w.remaining));
    ctx.set('RateLimit-Reset', String(w.resetSeconds));
    if (w.exceeded) throw new RateLimitError(w.resetSeconds);
    await next();
  };
}
