import pino, { type Logger } from 'pino';

// Redaction is the second line of defence; the first is never logging secrets or keys at all.
const redact = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    '*.secret',
    '*.password',
    '*.apiKey',
    '*.api_key',
    '*.key',
    'headers.authorization',
  ],
  censor: '[redacted]',
};

export function createLogger(opts: { level: string; name: string }, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level,
      redact,
      // Errors are logged by type and message only (SQL and its values never); where a stack is
      // wanted (5xx) it is logged separately as frames only, see stackFrames.
      serializers: { err: (e: unknown) => serializeError(e) },
    },
    destination,
  );
}

export function serializeError(e: unknown): { type: string; message: string; code?: string; constraint?: string } {
  if (e instanceof Error) {
    const { code, severity, constraint } = e as { code?: unknown; severity?: unknown; constraint?: unknown };
    // A PostgreSQL error: knex puts the SQL and its bound values into the message, so keep only
    // the SQLSTATE and the constraint name, which say what went wrong without the data.
    if (typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return {
        type: 'DatabaseError',
        message: `database error ${code}`,
        code,
        ...(typeof constraint === 'string' ? { constraint } : {}),
      };
    }
    return { type: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { type: typeof e, message: String(e) };
}

export type { Logger };

/**
 * Where an error was thrown: the stack's `at …` frames only, without the first line (the
 * message, which for a database error holds the SQL and its bound values).
 */
export function stackFrames(e: unknown): string[] | undefined {
  if (!(e instanceof Error) || !e.stack) return undefined;
  return e.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim())
    .slice(0, 30);
}

// Network failures reaching PostgreSQL, and its SQLSTATEs for "cannot serve now" (class 08
// connection exceptions, 57P01-03 shutdown / cannot connect now, 53300 too many connections).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** True when the error means the database cannot be reached right now (not a bad query). */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'KnexTimeoutError') return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNREACHABLE_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  }
  if (
    /Connection terminated|connection terminated unexpectedly|Client has encountered a connection error/.test(e.message)
  ) {
    return true;
  }
  const cause = (e as { cause?: unknown }).cause;
  return cause !== undefined && cause !== e && isDatabaseUnavailable(cause);
}
