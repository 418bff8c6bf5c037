// The Web Crypto side: the same API, asynchronous, for runtimes without node:crypto.
import { bytesToHex } from './bytes.js';
import type { WebhookEvent } from './generated/events.js';
import { formatHeader, signingInput, type TestHeaderOptions } from './test-header.js';
import {
  beginVerification,
  completeVerification,
  type RawBody,
  type SignatureHeader,
  type VerifyOptions,
} from './verify-core.js';
import { anySignatureMatchesAsync, hmacSha256Async } from './web-crypto.js';

/** verifySignature with Web Crypto: works on edge runtimes, Deno, Bun and Node 20+. */
export async function verifySignatureAsync(
  rawBody: RawBody,
  header: SignatureHeader,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const pending = beginVerification(rawBody, header, secrets, options);
  const matched = await anySignatureMatchesAsync(pending.secrets, pending.signedPayload, pending.signatures);
  return completeVerification(pending, matched);
}

/** generateTestHeader with Web Crypto. */
export async function generateTestHeaderAsync(options: TestHeaderOptions): Promise<string> {
  const { timestampSec, payload, secrets } = signingInput(options);
  const signatures = await Promise.all(secrets.map(async (s) => bytesToHex(await hmacSha256Async(s, payload))));
  return formatHeader(timestampSec, signatures);
}
