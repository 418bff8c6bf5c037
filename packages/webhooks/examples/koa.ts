// Koa: @koa/bodyparser keeps the unparsed body in ctx.request.rawBody; verify that, not
// ctx.request.body.
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { verifySignature, WebhookVerificationError, type WebhookEvent } from '@watchtraderhub/webhooks';

export function createKoaApp(
  secrets: string | string[], // your whsec_… secret, or [new, old] during a rotation
  handleEvent: (event: WebhookEvent) => Promise<void>,
): Koa {
  const app = new Koa();
  const router = new Router();
  router.post('/webhooks/wth', async (ctx) => {
    let event: WebhookEvent;
    try {
      event = verifySignature(ctx.request.rawBody, ctx.get('WTH-Signature'), secrets);
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      ctx.status = 400;
      ctx.body = `${err.code}: ${err.message}`; // shows in the delivery log
      return;
    }
    await handleEvent(event); // deduplicate on event.id; answer within 10 s (an error is retried)
    ctx.status = 204;
  });
  app.use(bodyParser({ enableTypes: ['json'] }));
  app.use(router.routes());
  return app;
}
