import type { ApiErrorBody } from './types';

/** A non-2xx answer from the API, with its `{ error }` body (or a stand-in for network failures). */
export class ApiError extends Error {
  readonly type: string;
  readonly code: string;
  readonly param?: string;
  constructor(
    readonly status: number,
    body: ApiErrorBody,
    /** From Retry-After on a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message);
    this.type = body.type;
    this.code = body.code;
    this.param = body.param;
  }

  /** The message for one form field, if the API named it (`param` may be `url` or `enabled_events[2]`). */
  forField(name: string): string | undefined {
    if (!this.param) return undefined;
    return this.param === name || this.param.startsWith(`${name}[`) || this.param.startsWith(`${name}.`)
      ? this.message
      : undefined;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined | null>;

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Set from the login or session response; sent as X-CSRF-Token on every state change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (session expired or logged out elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: Method, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/dashboard${withQuery(path, opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, {
      type: 'network_error',
      code: 'network_error',
      message: 'Could not reach the server. Check your connection and try again.',
    });
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a proxy's error page): handled below
  }
  if (res.ok) return json as T;
  const error = (json as { error?: ApiErrorBody } | undefined)?.error ?? {
    type: 'api_error',
    code: `http_${res.status}`,
    message: `The server answered ${res.status} ${res.statusText}.`,
  };
  if (res.status === 401 && path !== '/login') onUnauthorized?.();
  const retryAfter = Number(res.headers.get('retry-after'));
  throw new ApiError(res.status, error, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
