// The WTH-Signature scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
// one `v1` per valid secret (newest first) so receivers keep verifying through a rotation.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'WTH-Signature';
export const DEFAULT_TOLERANCE_SEC = 300;

const sign = (secret: string, timestampSec: number, rawBody: string): string =>
  createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`, 'utf8').digest('hex');

export function signatureHeader(secrets: readonly string[], timestampSec: number, rawBody: string): string {
  if (secrets.length === 0) throw new Error('at least one signing secret is required');
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) throw new Error('timestamp must be unix seconds');
  return [`t=${timestampSec}`, ...secrets.map((s) => `v1=${sign(s, timestampSec, rawBody)}`)].join(',');
}

export type VerifyResult =
  | { ok: true; timestampSec: number }
  | { ok: false; reason: 'malformed_header' | 'timestamp_outside_tolerance' | 'no_matching_signature' };

/**
 * For receivers (and our own docs/CLI): accepts when any `v1` matches any of the receiver's
 * secrets and `t` is within `toleranceSec` of `nowSec` in either direction (replay window).
 */
export function verifySignature(
  header: string | undefined,
  secrets: readonly string[],
  rawBody: string,
  nowSec: number,
  toleranceSec = DEFAULT_TOLERANCE_SEC,
): VerifyResult {
  if (!header) return { ok: false, reason: 'malformed_header' };
  let timestampSec: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed_header' };
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') {
      if (!/^\d{1,12}$/.test(v) || timestampSec !== undefined) return { ok: false, reason: 'malformed_header' };
      timestampSec = Number(v);
    } else if (k === 'v1') {
      if (/^[0-9a-f]{64}$/.test(v)) candidates.push(v);
    }
    // Unknown schemes are ignored so a future `v2` does not break old receivers.
  }
  if (timestampSec === undefined || candidates.length === 0) return { ok: false, reason: 'malformed_header' };
  if (Math.abs(nowSec - timestampSec) > toleranceSec) return { ok: false, reason: 'timestamp_outside_tolerance' };
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, timestampSec, rawBody), 'hex');
    // Compare against every candidate without an early exit on the first byte mismatch.
    if (candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected))) return { ok: true, timestampSec };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
