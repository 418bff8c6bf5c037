import type { Middleware } from 'koa';
import { touchApiKey } from '../../domain/accounts/api-keys';
import { hitRateLimit } from '../../domain/platform/rate-limits';
import type { ApiKeyAuth } from '../auth';
import type { AppDeps } from '../deps';
import { AuthenticationError, PermissionError, RateLimitError } from '../errors';

const MINUTE = 60_000;
const REALM = 'Bearer realm="WatchTraderHub API"';

/**
 * `Authorization: Bearer wth_…`. Failed attempts are counted per client address; once an
 * address is over API_AUTH_FAILURES_PER_MINUTE its bad keys get 429 instead of 401. Only
 * failures count and a valid key is always looked up and let through, so someone sharing a
 * dealer's address (or guessing from elsewhere) cannot lock the dealer out.
 */
export function apiKeyAuth(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!header) {
      throw new AuthenticationError(
        'No API key provided. Send it as `Authorization: Bearer wth_...`.',
        'missing_api_key',
        REALM,
      );
    }
    const identity = match ? await deps.keyCache.find(deps.db, match[1] as string) : null;
    if (!identity) {
      const failures = await hitRateLimit(
        deps.db,
        `auth_failure:${ctx.ip}`,
        deps.config.API_AUTH_FAILURES_PER_MINUTE,
        MINUTE,
      );
      if (failures.exceeded) {
        throw new RateLimitError(
          failures.resetSeconds,
          'Too many failed authentication attempts from this address. Retry after the time in Retry-After.',
        );
      }
      throw match
        ? new AuthenticationError('Invalid API key provided.', 'invalid_api_key', `${REALM}, error="invalid_token"`)
        : new AuthenticationError(
            'Malformed Authorization header. Send the key as `Authorization: Bearer wth_...`.',
            'invalid_authorization_header',
            `${REALM}, error="invalid_request"`,
          );
    }
    const auth: ApiKeyAuth = { kind: 'api_key', ...identity };
    ctx.state.auth = auth;
    await touchApiKey(deps.db, identity);
    await next();
  };
}

/** After the rate limiter, so this 403 carries the RateLimit headers like every other answer to a known key. */
export function requireLiveEnabled(): Middleware {
  return async (ctx, next) => {
    const auth = ctx.state.auth as ApiKeyAuth;
    if (auth.livemode && !auth.integrationLiveEnabled) {
      throw new PermissionError(
        'This integration is still in test mode: live keys work once it is switched to live.',
        'livemode_disabled',
      );
    }
    await next();
  };
}
