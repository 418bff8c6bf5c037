import Router from '@koa/router';
import type { AppDeps } from '../deps';

/** Liveness says the process answers; readiness says its dependencies do too. */
export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const [postgres, temporal] = await Promise.all([
      withTimeout(deps.db.raw('select 1')),
      withTimeout(deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = postgres && temporal;
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: { postgres: ok(postgres), temporal: ok(temporal) } };
  });
  return router;
}

const ok = (b: boolean) => (b ? 'ok' : 'unreachable');

async function withTimeout(p: Promise<unknown>, ms = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
