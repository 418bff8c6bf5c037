import type { Middleware } from 'koa';
import { ApiError } from '../errors';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The API speaks JSON only. A body of another type would otherwise be ignored silently and the
 * request run as if it were empty, so it is refused before anything else looks at it.
 */
export function requireJsonBodies(): Middleware {
  return async (ctx, next) => {
    if (WITH_BODY.has(ctx.method) && ctx.request.length !== 0 && hasBody(ctx.headers)) {
      if (!ctx.is('application/json', 'application/*+json')) {
        throw new ApiError(
          415,
          'invalid_request_error',
          'unsupported_media_type',
          'Request bodies must be JSON, sent with `Content-Type: application/json`.',
        );
      }
    }
    await next();
  };
}

const hasBody = (h: Record<string, string | string[] | undefined>): boolean =>
  h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
