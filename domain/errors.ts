// Typed errors services throw. They say what went wrong in domain terms (a `kind`, a stable
// `code`, the offending `param`) and nothing about HTTP: api/middleware/error-handler.ts is
// the one place that turns a kind into a status and the public error body.

export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable' | 'internal';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    public readonly code: string,
    public readonly param?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The same error about a nested field, e.g. `email` → `items[3].email` in a bulk request. */
  atParam(param: string): DomainError {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as DomainError;
    Object.assign(copy, this, { param, message: this.message, stack: this.stack });
    return copy;
  }
}

/** Input the service cannot use (a bad cursor, a refused URL...). */
export class ValidationError extends DomainError {
  readonly kind = 'invalid';
  constructor(message: string, param?: string, code = 'parameter_invalid') {
    super(message, code, param);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(resource: string, id?: string, param?: string) {
    super(id ? `No such ${resource}: '${id}'` : `No such ${resource}.`, 'resource_missing', param);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(message: string, code = 'conflict', param?: string) {
    super(message, code, param);
  }
}

/** A well-formed request the current state does not allow (e.g. cancelling a cancelled order). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
  constructor(message: string, code: string, param?: string) {
    super(message, code, param);
  }
}

/** A failure the caller should see as ours, with a message safe to show (never the cause's). */
export class InternalError extends DomainError {
  readonly kind = 'internal';
  constructor(message: string, code = 'internal_error') {
    super(message, code);
  }
}
