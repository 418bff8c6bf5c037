// Synchronous HMAC with node:crypto. Only the Node entry point imports this file.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const hmacSha256 = (secret: string, payload: Uint8Array): Uint8Array =>
  new Uint8Array(createHmac('sha256', secret).update(payload).digest());

/** Whether any signature equals the HMAC of any secret; each comparison is constant-time. */
export function anySignatureMatches(
  secrets: readonly string[],
  payload: Uint8Array,
  signatures: readonly Uint8Array[],
): boolean {
  return secrets.some((secret) => {
    const expected = hmacSha256(secret, payload);
    return signatures.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected));
  });
}
