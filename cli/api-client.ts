// The dealer-facing commands (`wth listen`, `wth trigger`, …) talk to the public API with an
// API key, exactly as a dealer's own code would.
export class ApiCallError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when the API could not be reached. */
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  key: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** The API's error shape, in one line for a terminal: `401 invalid_api_key: Invalid API key provided.` */
export function describeApiError(status: number, body: unknown): ApiCallError {
  const e = (body as { error?: { code?: string; message?: string; param?: string } } | null)?.error;
  const code = e?.code ?? null;
  const message = e?.message ?? `the API answered ${status}`;
  return new ApiCallError(`${status}${code ? ` ${code}` : ''}: ${message}`, status, code);
}

export function unreachable(baseUrl: string, err: unknown): ApiCallError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return new ApiCallError(
    `cannot reach the API at ${baseUrl} (${cause?.code ?? cause?.message ?? (err as Error).message}); is it running? (WTH_API_URL / --api-url)`,
    null,
    null,
  );
}

export function createApiClient(opts: ApiClientOptions) {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${opts.key}`, ...extra });
  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(baseUrl + path, {
        method,
        headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ?? AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw unreachable(baseUrl, err);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: reported by status below
    }
    if (!res.ok) throw describeApiError(res.status, parsed);
    return parsed as T;
  }
  return {
    baseUrl,
    headers,
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}, signal?: AbortSignal) => call<T>('POST', path, body, signal),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
