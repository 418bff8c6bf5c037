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

export function createLogger(opts: { level: string; name: string }): Logger {
  return pino({
    name: opts.name,
    level: opts.level,
    redact,
    // Errors are logged by type and message only: stacks can leak SQL, paths and values.
    serializers: { err: (e: unknown) => serializeError(e) },
  });
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
