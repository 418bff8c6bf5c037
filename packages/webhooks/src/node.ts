// The Node.js side: synchronous verification and test headers with node:crypto.
import { bytesToHex } from './bytes.js';
import type { WebhookEvent } from './generated/events.js';
import { anySignatureMatches, hmacSha256 } from './node-crypto.js';
import { formatHeader, signingInput, type TestHeaderOptions } from './test-header.js';
import {
  beginVerification,
  completeVerification,
  type RawBody,
  type SignatureHeader,
  type VerifyOptions,
} from './verify-core.js';

/**
 * Verifies a delivery and returns its event, or throws a WebhookVerificationError.
 * `rawBody` is the body exactly as received; `secrets` one `whsec_…` secret or several (rotation).
 */
export function verifySignature(
  rawBody: RawBody,
  header: SignatureHeader,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): WebhookEvent {
  const pending = beginVerification(rawBody, header, secrets, options);
  return completeVerification(pending, anySignatureMatches(pending.secrets, pending.signedPayload, pending.signatures));
}

/** A valid `WTH-Signature` value for `payload`, for tests of your receiver. */
export function generateTestHeader(options: TestHeaderOptions): string {
  const { timestampSec, payload, secrets } = signingInput(options);
  return formatHeader(
    timestampSec,
    secrets.map((s) => bytesToHex(hmacSha256(s, payload))),
  );
}
