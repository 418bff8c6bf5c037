import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../lib/logger';
import type { httpMetrics } from '../../lib/metrics';
import { clientAddress } from '../client-address';

// A caller's id is kept only if it is short and plain (it ends up in logs and headers).
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Outermost middleware: a request id (the caller's X-Request-Id if sane, else a new one) on the
 * response and on every log line of the request (`ctx.state.log`), one access log line per
 * request (path without the query string, which may carry tokens), and the HTTP metrics.
 */
export function requestContext(deps: {
  logger: Logger;
  metrics: ReturnType<typeof httpMetrics>;
  trustedProxies: string[];
}): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const offered = ctx.get('X-Request-Id');
    const requestId = SANE_REQUEST_ID.test(offered) ? offered : `req_${randomUUID()}`;
    const clientIp = clientAddress(ctx.req.socket.remoteAddress ?? '', ctx.get('X-Forwarded-For'), deps.trustedProxies);
    ctx.state.requestId = requestId;
    ctx.state.clientIp = clientIp;
    ctx.state.log = deps.logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      const labels = { method: ctx.method, route: String(route), status: String(ctx.status) };
      deps.metrics.requests.inc(labels);
      deps.metrics.duration.observe(labels, seconds);
      (ctx.state.log as Logger).info(
        {
          method: ctx.method,
          path: ctx.path,
          route: labels.route,
          status: ctx.status,
          durationMs: Math.round(seconds * 1000),
          clientIp,
          // Not ctx.response.length: for a JSON body that would serialize it a second time.
          bytes: Number(ctx.response.get('Content-Length')) || undefined,
        },
        'request',
      );
    }
  };
}
