import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { ApiError, ValidationError } from '../errors';
import { formatPath } from '../validation';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body (set by jsonBody; undefined for requests without one). */
    body?: unknown;
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Far deeper than any request shape (bulk → item → field is 3), far shallower than a stack. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and parses JSON request bodies. Mounted per route after authentication, so a request
 * without credentials is answered 401 before its body is read, and errors about the body carry
 * the rate-limit headers. Refused: non-JSON types (415), compressed or oversized bodies (413 is
 * checked from Content-Length before reading, and while reading), bytes that are not UTF-8
 * (no silent U+FFFD rewrite that would make two different ids equal), nesting deeper than
 * MAX_JSON_DEPTH (checked by a linear scan before JSON.parse or any recursive walk), a top
 * level that is not an object, and NUL characters (PostgreSQL text cannot hold them).
 */
export function jsonBody(opts: { limit: string }): Middleware {
  return async (ctx, next) => {
    ctx.request.body = undefined;
    if (!WITH_BODY.has(ctx.method) || !hasBody(ctx)) return next();
    if (!ctx.is('application/json', 'application/*+json')) {
      throw new ApiError(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        'Request bodies must be JSON, sent with `Content-Type: application/json`.',
      );
    }
    const encoding = (ctx.get('content-encoding') || 'identity').toLowerCase();
    if (encoding !== 'identity') {
      throw new ApiError(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        `Content-Encoding ${encoding} is not supported; send the JSON body uncompressed.`,
      );
    }
    const charset = ctx.request.charset;
    if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
      throw new ApiError(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        `Charset ${charset} is not supported; JSON bodies are UTF-8.`,
      );
    }
    const text = await readUtf8(ctx, opts.limit);
    if (text.trim() === '') return next();
    const depth = maxNestingDepth(text);
    if (depth > MAX_JSON_DEPTH) {
      throw new ApiError(
        400,
        'invalid_request_error',
        'json_too_deep',
        `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_request_error', 'invalid_json', 'Request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ValidationError(
        `The request body must be a JSON object, not ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`}.`,
        'body',
      );
    }
    const nul = findNul(parsed);
    if (nul !== null) throw nulError(nul);
    ctx.request.body = parsed;
    await next();
  };
}

const hasBody = (ctx: Context): boolean =>
  ctx.get('transfer-encoding') !== '' || (ctx.get('content-length') !== '' && ctx.get('content-length') !== '0');

async function readUtf8(ctx: Context, limit: string): Promise<string> {
  let raw: Buffer;
  try {
    raw = await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new ApiError(413, 'invalid_request_error', 'body_too_large', `Request body is larger than ${limit}.`);
    }
    throw new ApiError(
      400,
      'invalid_request_error',
      'body_incomplete',
      'The request body could not be read completely (its length does not match Content-Length, or the upload was aborted).',
    );
  }
  try {
    return utf8.decode(raw);
  } catch {
    throw new ApiError(400, 'invalid_request_error', 'invalid_utf8', 'Request body is not valid UTF-8.');
  }
}

/** Deepest `[`/`{` nesting outside string literals: one linear pass, no recursion. */
export function maxNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** The path of the first string (value or key) holding U+0000; the walk is bounded by MAX_JSON_DEPTH. */
export function findNul(value: unknown, path: PropertyKey[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? formatPath(path) : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return formatPath([...path, k]);
      const found = findNul(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

export const nulError = (param: string): ValidationError =>
  new ValidationError(`Invalid ${param}: must not contain the NUL character (U+0000).`, param);
