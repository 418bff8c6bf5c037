import Koa from 'koa';
import Router from '@koa/router';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './deps';
import { errorHandler } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
import { createRegistry, httpMetrics } from '../lib/metrics';
import { apiKeyAuth, requireLiveEnabled } from './middleware/api-key-auth';
import { dashboardAuth } from './middleware/dashboard-auth';
import { jsonBody } from './middleware/json-body';
import { idempotency } from './middleware/idempotency';
import { apiKeyRateLimit } from './middleware/rate-limit';
import { toPostmanCollection } from './openapi/postman';
import { registerWebhookEvents } from './openapi/webhooks';
import { generateOpenApiDocument } from './openapi/document';
import { ApiRouter } from './route';
import { healthRoutes } from './routes/health';
import { registerV1Routes } from './routes/v1';
import { registerDashboardRoutes } from './routes/dashboard';
import { webApp } from './web-app';

export interface AppOptions {
  /** Lets a test mount probe routes behind the real platform middleware (auth, limits, idempotency). */
  extraV1Routes?: (r: ApiRouter) => void;
}

export function createApp(deps: AppDeps, options: AppOptions = {}): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true; // errors are logged once, by errorHandler

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `wth_` followed by 32 base62 characters.',
  });
  registry.registerComponent('securitySchemes', 'sessionCookie', { type: 'apiKey', in: 'cookie', name: 'wth_session' });

  const authenticators = { api_key: apiKeyAuth(deps), dashboard: dashboardAuth(deps) };
  const rateLimit = apiKeyRateLimit(deps);
  const idempotent = idempotency(deps);
  const liveEnabled = requireLiveEnabled();
  const body = jsonBody({ limit: deps.config.API_BODY_LIMIT });
  const v1 = new ApiRouter(deps, registry, '/api/v1', authenticators, {
    // After auth, before validation: a rate-limited request costs nothing else (its body is not
    // even read); every later answer carries the RateLimit headers; a replayed one is answered
    // before the route runs.
    middleware: (method, auth) =>
      auth === 'api_key' ? [rateLimit, liveEnabled, body, ...(method === 'post' ? [idempotent] : [])] : [body],
  });
  registerV1Routes(v1);
  options.extraV1Routes?.(v1);
  const dashboard = new ApiRouter(deps, registry, '/api/dashboard', authenticators, { middleware: () => [body] });
  registerDashboardRoutes(dashboard);
  registerWebhookEvents(registry);

  let document: unknown;
  const openapi = () => (document ??= generateOpenApiDocument(registry, deps.config.PUBLIC_BASE_URL));
  const root = new Router();
  root.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = openapi();
  });
  // Prometheus scrapes this; it says nothing about dealers (counts and latencies by route only).
  const promRegistry = createRegistry({ defaults: true });
  const metrics = httpMetrics(promRegistry);
  root.get('/metrics', async (ctx) => {
    ctx.type = promRegistry.contentType;
    ctx.body = await promRegistry.metrics();
  });
  let postman: unknown;
  root.get('/openapi/v1.postman.json', (ctx) => {
    ctx.body = postman ??= toPostmanCollection(openapi());
  });

  app.use(requestContext({ logger: deps.logger, metrics, trustedProxies: deps.config.TRUSTED_PROXIES }));
  app.use(errorHandler(deps.logger, { retryAfterSeconds: deps.config.API_UNAVAILABLE_RETRY_AFTER_S }));
  // Wraps the routers below and answers only what they left unanswered (GET page paths, assets).
  app.use(webApp(deps.config.WEB_BUNDLE_DIR));
  app.use(healthRoutes(deps).routes());
  app.use(root.routes());
  app.use(v1.router.prefix('/api/v1').routes());
  app.use(v1.router.allowedMethods());
  app.use(dashboard.router.prefix('/api/dashboard').routes());
  app.use(dashboard.router.allowedMethods());
  return app;
}
