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

export function serializeError(e: unknown): { type: string; message: string; code?: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { type: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { type: typeof e, message: String(e) };
}

export type { Logger };
