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
  429: 'Rate limited: retry after `Retry-After` seconds.',
};
