// Requests per second and latency at a fixed number of connections, with autocannon.
import autocannon from 'autocannon';

export interface HttpBenchResult {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  non2xx: number;
  errors: number;
}

export async function measureHttp(opts: {
  label: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body per request (unique external ids and such). */
  body?: () => unknown;
  connections: number;
  seconds: number;
}): Promise<HttpBenchResult> {
  const headers = { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const u = new URL(opts.url);
  const result = await autocannon({
    url: u.origin,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 10,
    requests: [
      {
        method: opts.method,
        path: u.pathname + u.search,
        headers,
        ...(opts.body ? { setupRequest: (req) => ({ ...req, body: JSON.stringify(opts.body?.()) }) } : {}),
      },
    ],
  });
  return {
    label: opts.label,
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
