import { z } from './zod';

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.enum([
        'invalid_request_error',
        'authentication_error',
        'permission_error',
        'not_found_error',
        'conflict_error',
        'idempotency_error',
        'rate_limit_error',
        'api_error',
      ]),
      code: z.string(),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .openapi('Error');

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `error.param` names the failing field.',
  401: 'Missing, malformed, unknown or revoked API key.',
  403: 'The key or session may not do this (e.g. a live key before live mode is on).',
  404: 'No such object for this dealer and mode.',
  409: 'Conflict, e.g. an Idempotency-Key reused with a different body.',
  413: 'Request body too large.',
  415: 'Request body is not JSON.',
  422: 'The object is in a state that does not allow this.',
  429: 'Rate limited (too many requests for this key, or too many failed authentications from this address): retry after `Retry-After` seconds.',
  500: 'Internal error. It is logged on our side; a POST may be retried safely with the same `Idempotency-Key`.',
};

type HeaderMap = Record<string, { schema: { type: 'integer' | 'string' }; description: string }>;

const RATE_LIMIT_HEADERS: HeaderMap = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed per window for this API key.' },
  'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in the current window.' },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the window resets.' },
};

export const IdempotencyKeyHeaderSchema = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      description:
        'Makes a retried POST safe: the first answer (status and body) for this key is stored for 24 hours ' +
        'and replayed, with `Idempotent-Replayed: true`, to any retry with the same method, path and body. ' +
        'Reusing a key with a different request is a 409 `idempotency_key_reused`; a retry while the first ' +
        'request is still running is a 409 `idempotency_key_in_use`. 5xx answers are not stored. Scoped per API key.',
      example: 'a4f7c1e2-order-shop-12345',
    }),
});

/**
 * What the platform middleware adds to every operation of a kind (rate limit, idempotency,
 * body rules, CSRF), so route modules declare only their own errors.
 */
export function platformDocs(method: string, auth: 'api_key' | 'dashboard' | 'none') {
  const withBody = method === 'post' || method === 'patch' || method === 'put';
  const apiKey = auth === 'api_key';
  const idempotent = apiKey && method === 'post';
  const errors = [
    ...(withBody ? [413, 415] : []),
    ...(apiKey ? [403, 429] : []),
    ...(idempotent ? [409] : []),
    ...(auth === 'dashboard' && method !== 'get' ? [403] : []),
  ];
  return {
    errors,
    requestHeaders: idempotent ? IdempotencyKeyHeaderSchema : undefined,
    successHeaders: apiKey
      ? {
          ...RATE_LIMIT_HEADERS,
          ...(idempotent
            ? {
                'Idempotent-Replayed': {
                  schema: { type: 'string' as const },
                  description:
                    '`true` when this answer is the stored answer to an earlier request with the same Idempotency-Key.',
                },
              }
            : {}),
        }
      : undefined,
    errorHeaders: (status: number): HeaderMap | undefined =>
      status === 429
        ? {
            'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before retrying.' },
            ...(apiKey ? RATE_LIMIT_HEADERS : {}),
          }
        : apiKey && status === 401
          ? {
              'WWW-Authenticate': {
                schema: { type: 'string' },
                description: 'The RFC 6750 challenge, e.g. `Bearer realm="WatchTraderHub API", error="invalid_token"`.',
              },
            }
          : apiKey && status !== 500
            ? RATE_LIMIT_HEADERS
            : undefined,
  };
}
