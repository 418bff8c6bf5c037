// The floor for the API benchmark: Koa with the same body parser and nothing else, so the
// report can say what our middleware, validation, auth and SQL cost on top of the framework.
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { loadConfig } from '../lib/config';

const config = loadConfig();
const app = new Koa();
const router = new Router();
router.get('/healthz', (ctx) => {
  ctx.body = { status: 'ok' };
});
router.get('/bare', (ctx) => {
  ctx.body = { object: 'list', data: [], has_more: false, next_cursor: null };
});
router.post('/bare', (ctx) => {
  ctx.status = 201;
  ctx.body = { object: 'order', received: Object.keys((ctx.request.body as object) ?? {}).length };
});
app.use(bodyParser({ enableTypes: ['json'] }));
app.use(router.routes());
const server = app.listen(config.API_PORT, '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
