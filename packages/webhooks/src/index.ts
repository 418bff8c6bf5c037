// @watchtraderhub/webhooks for Node.js: synchronous verification with node:crypto, the Web
// Crypto variants, typed events and test helpers. Edge runtimes import '@watchtraderhub/webhooks/web'.
export { verifySignature, generateTestHeader } from './node.js';
export * from './web.js';
