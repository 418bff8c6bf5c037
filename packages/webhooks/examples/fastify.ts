// Fastify: inside the webhook plugin only, application/json is left as a Buffer (parseAs:
// 'buffer'); the rest of the app keeps Fastify's JSON parser.
import Fastify, { type FastifyInstance } from 'fastify';
import { verifySignature, WebhookVerificationError, type WebhookEvent } from '@watchtraderhub/webhooks';

export function createFastifyApp(
  secrets: string | string[], // your whsec_… secret, or [new, old] during a rotation
  handleEvent: (event: WebhookEvent) => Promise<void>,
): FastifyInstance {
  const app = Fastify();
  app.register(async (webhooks) => {
    webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    webhooks.post('/webhooks/wth', async (request, reply) => {
      let event: WebhookEvent;
      try {
        event = verifySignature(request.body as Buffer, request.headers['wth-signature'], secrets);
      } catch (err) {
        if (!(err instanceof WebhookVerificationError)) throw err;
        return reply.code(400).type('text/plain').send(`${err.code}: ${err.message}`); // shows in the delivery log
      }
      await handleEvent(event); // deduplicate on event.id; answer within 10 s (an error is retried)
      return reply.code(204).send();
    });
  });
  return app;
}
