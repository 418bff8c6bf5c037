import type { Middleware } from 'koa';
import { isDatabaseUnavailable, stackFrames, type Logger } from '../../lib/logger';
import { DomainError, type DomainErrorKind } from '../../domain/errors';
import { ApiError, type ErrorType } from '../errors';

/**
 * Maps every thrown error to the one public shape; unknown errors become a bare 500 (logged
 * with its stack frames, never its SQL or values). An unreachable database is a 503 with
 * Retry-After, so clients know to retry.
 */
export function errorHandler(
  logger: Logger,
  opts: { retryAfterSeconds: number } = { retryAfterSeconds: 5 },
): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError(
          404,
          'not_found_error',
          'route_not_found',
          `Unrecognized request URL (${ctx.method} ${ctx.path}).`,
        );
      }
      // The router answers 501 to methods it does not know (TRACE, PROPFIND, ...): to a client
      // that is the same mistake as any other wrong method, so it is the same JSON 405.
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        throw new ApiError(
          405,
          'invalid_request_error',
          'method_not_allowed',
          `${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow') || 'none'}.`,
          undefined,
          { Allow: ctx.response.get('Allow') },
        );
      }
    } catch (err) {
      const apiError = isDatabaseUnavailable(err) ? databaseUnavailable(opts.retryAfterSeconds) : toApiError(err);
      if (apiError.status >= 500) {
        const log = (ctx.state.log as Logger | undefined) ?? logger;
        log.error({ err, stack: stackFrames(err), method: ctx.method, path: ctx.path }, 'request failed');
      }
      ctx.status = apiError.status;
      ctx.set(apiError.headers);
      ctx.body = errorBody(apiError);
    }
  };
}

export function errorBody(apiError: ApiError) {
  return {
    error: {
      type: apiError.type,
      code: apiError.code,
      message: apiError.message,
      ...(apiError.param ? { param: apiError.param } : {}),
      ...apiError.extra,
    },
  };
}

/** The one mapping from what went wrong in the domain to an HTTP status and error type. */
const DOMAIN_ERRORS: Record<DomainErrorKind, { status: number; type: ErrorType }> = {
  invalid: { status: 400, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'not_found_error' },
  conflict: { status: 409, type: 'conflict_error' },
  unprocessable: { status: 422, type: 'invalid_request_error' },
  internal: { status: 500, type: 'api_error' },
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) {
    const { status, type } = DOMAIN_ERRORS[err.kind];
    return new ApiError(status, type, err.code, err.message, err.param);
  }
  // Errors raised by Koa's own body parsing and http-errors carry a status.
  const e = err as { status?: number; statusCode?: number; type?: string; expose?: boolean };
  const status = e?.status ?? e?.statusCode;
  if (status === 413 || e?.type === 'entity.too.large') {
    return new ApiError(413, 'invalid_request_error', 'body_too_large', 'Request body is too large.');
  }
  if (status === 415) {
    return new ApiError(
      415,
      'invalid_request_error',
      'unsupported_media_type',
      'Request bodies must be application/json.',
    );
  }
  if (status === 400 && e?.type === 'entity.parse.failed') {
    return new ApiError(400, 'invalid_request_error', 'invalid_json', 'Request body is not valid JSON.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && e?.expose) {
    return new ApiError(status, 'invalid_request_error', 'bad_request', (err as Error).message);
  }
  return new ApiError(500, 'api_error', 'internal_error', 'An internal error occurred. It has been logged.');
}

function databaseUnavailable(retryAfterSeconds: number): ApiError {
  return new ApiError(
    503,
    'api_error',
    'service_unavailable',
    'The service is temporarily unavailable. Retry after the number of seconds in Retry-After.',
    undefined,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}
