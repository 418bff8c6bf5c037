import { isCheckedPath, responseChecker } from './openapi-check';

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A tiny JSON client over the global fetch, for calling the API under test. Every JSON answer
 * from /api/v1 and /api/dashboard is checked against the OpenAPI document the server serves
 * (documented status, body matching its schema); a mismatch throws, failing the test.
 * `{ checkContract: false }` is for the rare test that must see a raw answer.
 */
export function client(baseUrl: string, key?: string, opts: { checkContract?: boolean } = {}) {
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse<T>> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON; tests that care assert on it
    }
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    if (opts.checkContract !== false && isCheckedPath(path)) {
      if (!isJson && res.status !== 204) {
        throw new Error(`${method} ${path} → ${res.status}: not a JSON answer: ${text.slice(0, 200)}`);
      }
      if (isJson) (await responseChecker(baseUrl)).check(method, path, res.status, parsed);
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body ?? {}, headers),
    patch: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body ?? {}, headers),
    delete: <T = any>(path: string, headers?: Record<string, string>) => call<T>('DELETE', path, undefined, headers),
    call,
  };
}

export async function waitUntil<T>(
  fn: () => Promise<T | undefined | null | false>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
