import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './deps';
import { ApiError } from './errors';
import { errorHandler } from './middleware/error-handler';
import { apiKeyAuth } from './middleware/api-key-auth';
import { dashboardAuth } from './middleware/dashboard-auth';
import { generateOpenApiDocument } from './openapi/document';
import { ApiRouter } from './route';
import { healthRoutes } from './routes/health';
import { registerV1Routes } from './routes/v1';
import { registerDashboardRoutes } from './routes/dashboard';

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true; // errors are logged once, by errorHandler, without stacks

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `wth_` followed by 32 base62 characters.',
  });
  registry.registerComponent('securitySchemes', 'sessionCookie', { type: 'apiKey', in: 'cookie', name: 'wth_session' });

  const authenticators = { api_key: apiKeyAuth(deps), dashboard: dashboardAuth(deps) };
  const v1 = new ApiRouter(deps, registry, '/api/v1', authenticators);
  registerV1Routes(v1);
  const dashboard = new ApiRouter(deps, registry, '/api/dashboard', authenticators);
  registerDashboardRoutes(dashboard);

  let document: unknown;
  const openapi = () => (document ??= generateOpenApiDocument(registry, deps.config.PUBLIC_BASE_URL));
  const root = new Router();
  root.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = openapi();
  });

  app.use(errorHandler(deps.logger));
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: deps.config.API_BODY_LIMIT,
      encoding: 'utf-8',
      // The parser's own error is a bare SyntaxError; answer in the API's error shape.
      onError: () => {
        throw new ApiError(400, 'invalid_request_error', 'invalid_json', 'Request body is not valid JSON.');
      },
    }),
  );
  app.use(healthRoutes(deps).routes());
  app.use(root.routes());
  app.use(v1.router.prefix('/api/v1').routes());
  app.use(v1.router.allowedMethods());
  app.use(dashboard.router.prefix('/api/dashboard').routes());
  app.use(dashboard.router.allowedMethods());
  return app;
}
