// A Web Request handler, e.g. a Next.js App Router route handler (app/webhooks/wth/route.ts).
// It reads the body with request.text() before anything parses it, and verifies with Web
// Crypto, so it also runs on the edge runtime:
//   export const runtime = 'edge';
//   export const POST = webhookRoute(process.env.WTH_WEBHOOK_SECRET!, handleEvent);
import { verifySignatureAsync, WebhookVerificationError, type WebhookEvent } from '@watchtraderhub/webhooks/web';

export function webhookRoute(
  secrets: string | string[], // your whsec_… secret, or [new, old] during a rotation
  handleEvent: (event: WebhookEvent) => Promise<void>,
): (request: Request) => Promise<Response> {
  return async function POST(request) {
    const rawBody = await request.text(); // never request.json() first
    let event: WebhookEvent;
    try {
      event = await verifySignatureAsync(rawBody, request.headers.get('WTH-Signature'), secrets);
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      return new Response(`${err.code}: ${err.message}`, { status: 400 }); // shows in the delivery log
    }
    await handleEvent(event); // deduplicate on event.id; answer within 10 s (an error is retried)
    return new Response(null, { status: 204 });
  };
}
