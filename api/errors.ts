// Errors of the HTTP layer itself (authentication, permission, rate limits, malformed bodies).
// Services throw the domain's errors (../domain/errors) instead; the error middleware maps
// both to the public shape `{"error": {"type", "code", "message", "param"?}}`.

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'api_error';

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly type: ErrorType,
    public readonly code: string,
    message: string,
    public readonly param?: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class AuthenticationError extends ApiError {
  constructor(message = 'Invalid API key provided.', code = 'invalid_api_key') {
    super(401, 'authentication_error', code, message);
  }
}

export class PermissionError extends ApiError {
  constructor(message: string, code = 'forbidden') {
    super(403, 'permission_error', code, message);
  }
}

export class RateLimitError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      'rate_limit_error',
      'rate_limited',
      'Too many requests. Retry after the time in Retry-After.',
      undefined,
      {
        'Retry-After': String(retryAfterSeconds),
      },
    );
  }
}

// Route code validates input with the same error the services use for bad input.
export { ValidationError, NotFoundError, ConflictError, UnprocessableError } from '../domain/errors';
