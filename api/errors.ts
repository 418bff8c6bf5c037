// Typed errors thrown by services; one middleware maps them to the public error shape
// `{"error": {"type", "code", "message", "param"?}}`. Services never touch ctx.

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
    /** More members of the `error` object, e.g. the stored `order` a conflicting report collided with. */
    public readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ValidationError extends ApiError {
  constructor(message: string, param?: string, code = 'parameter_invalid') {
    super(400, 'invalid_request_error', code, message, param);
  }
}

export class AuthenticationError extends ApiError {
  /** `challenge` is the WWW-Authenticate value (RFC 6750 for API keys); every 401 should carry one. */
  constructor(message = 'Invalid API key provided.', code = 'invalid_api_key', challenge?: string) {
    super(401, 'authentication_error', code, message, undefined, challenge ? { 'WWW-Authenticate': challenge } : {});
  }
}

export class PermissionError extends ApiError {
  constructor(message: string, code = 'forbidden') {
    super(403, 'permission_error', code, message);
  }
}

export class NotFoundError extends ApiError {
  constructor(resource: string, id?: string, param?: string) {
    super(
      404,
      'not_found_error',
      'resource_missing',
      id ? `No such ${resource}: '${id}'` : `No such ${resource}.`,
      param,
    );
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, code = 'conflict', param?: string, extra: Record<string, unknown> = {}) {
    super(409, 'conflict_error', code, message, param, {}, extra);
  }
}

/** A well-formed request the current state does not allow (e.g. cancelling a cancelled order). */
export class UnprocessableError extends ApiError {
  constructor(message: string, code: string, param?: string) {
    super(422, 'invalid_request_error', code, message, param);
  }
}

export class RateLimitError extends ApiError {
  constructor(retryAfterSeconds: number, message = 'Too many requests. Retry after the time in Retry-After.') {
    super(429, 'rate_limit_error', 'rate_limited', message, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
