// Express: the webhook route reads its body with express.raw(), registered before any
// express.json(), so verifySignature gets the exact bytes that were signed.
import express from 'express';
import { verifySignature, WebhookVerificationError, type WebhookEvent } from '@watchtraderhub/webhooks';

export function createExpressApp(
  secrets: string | string[], // your whsec_… secret, or [new, old] during a rotation
  handleEvent: (event: WebhookEvent) => Promise<void>,
): express.Express {
  const app = express();
  app.post('/webhooks/wth', express.raw({ type: 'application/json' }), async (req, res) => {
    let event: WebhookEvent;
    try {
      event = verifySignature(req.body as Buffer, req.get('WTH-Signature'), secrets);
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      res.status(400).type('text').send(`${err.code}: ${err.message}`); // shows in the delivery log
      return;
    }
    await handleEvent(event); // deduplicate on event.id; answer within 10 s (an error is retried)
    res.sendStatus(204);
  });
  app.use(express.json()); // the rest of your app parses JSON as usual
  return app;
}
