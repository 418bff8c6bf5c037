// @watchtraderhub/webhooks/web: everything that runs with Web Crypto alone (no node: modules),
// for edge functions, Cloudflare Workers, Deno, Bun and browsers' service workers.
export { verifySignatureAsync, generateTestHeaderAsync } from './web-api.js';
export { buildExampleEvent, type ExampleEventOverrides } from './example-events.js';
export { WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.js';
export {
  SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SEC,
  type RawBody,
  type SignatureHeader,
  type VerifyOptions,
} from './verify-core.js';
export type { TestHeaderOptions } from './test-header.js';
export { EXAMPLE_EVENTS } from './generated/examples.js';
export * from './generated/events.js';
export type { components, webhooks } from './generated/openapi.js';
