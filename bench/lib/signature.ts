// What a dealer's receiver does with WTH-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>.
// During a secret rotation a delivery carries one v1 per valid secret; any match is enough.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function sign(secret: string, t: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (!header || secrets.length === 0) return false;
  let t: number | null = null;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d+$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v)) given.push(v);
  }
  if (t === null || given.length === 0) return false;
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const ts = t;
  return secrets.some((s) => {
    const expected = Buffer.from(sign(s, ts, rawBody), 'hex');
    return given.some((g) => timingSafeEqual(expected, Buffer.from(g, 'hex')));
  });
}
