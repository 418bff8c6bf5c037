import type { Middleware } from 'koa';
import type { Logger } from '../../lib/logger';
import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestHash,
} from '../../domain/platform/idempotency-keys';
import type { ApiKeyAuth } from '../auth';
import type { AppDeps } from '../deps';
import { ApiError, ValidationError } from '../errors';
import { errorBody, toApiError } from './error-handler';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Runs after API key auth on every v1 POST. Keys are scoped per API key. Every answer below
 * 500 is stored and replayed (errors included, as Stripe does); a 5xx releases the key so the
 * client's retry runs again.
 */
export function idempotency(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.headers['idempotency-key'] === undefined) return next();
    const key = ctx.get(IDEMPOTENCY_HEADER);
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
      throw new ValidationError(
        `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters long.`,
        IDEMPOTENCY_HEADER,
        'idempotency_key_invalid',
      );
    }
    const auth = ctx.state.auth as ApiKeyAuth;
    const db = deps.db;
    const claim = await claimIdempotencyKey(db, {
      apiKeyId: auth.apiKeyId,
      key,
      method: ctx.method,
      path: ctx.url,
      hash: requestHash(ctx.method, ctx.url, ctx.request.body),
    });
    if (claim.kind === 'mismatch') {
      throw new ApiError(
        409,
        'idempotency_error',
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request (method, path or body). Use a new key.',
        IDEMPOTENCY_HEADER,
      );
    }
    if (claim.kind === 'in_flight') {
      throw new ApiError(
        409,
        'idempotency_error',
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being processed. Retry once it has finished.',
        IDEMPOTENCY_HEADER,
      );
    }
    if (claim.kind === 'replay') {
      ctx.status = claim.status;
      ctx.body = claim.body;
      ctx.set(REPLAYED_HEADER, 'true');
      return;
    }

    try {
      await next();
    } catch (err) {
      const apiError = toApiError(err);
      await settle(deps.logger, db, auth.apiKeyId, key, apiError.status, errorBody(apiError));
      throw err;
    }
    await settle(deps.logger, db, auth.apiKeyId, key, ctx.status, ctx.body);
  };
}

async function settle(
  logger: Logger,
  db: AppDeps['db'],
  apiKeyId: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  try {
    if (status >= 500) await releaseIdempotencyKey(db, apiKeyId, key);
    else await completeIdempotencyKey(db, apiKeyId, key, status, body);
  } catch (err) {
    // The change itself is done; failing the answer now would invite a retry that repeats it.
    // The key stays in flight and is taken over once it counts as abandoned.
    logger.error({ err, status }, 'could not record idempotent response');
  }
}
