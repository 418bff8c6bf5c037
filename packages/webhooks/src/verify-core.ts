// Everything about verification except the HMAC itself: input checks, header parsing, the
// replay window and parsing the event. The Node (sync) and Web Crypto (async) entry points
// differ only in how they compare signatures.
import { concat, hexToBytes, utf8 } from './bytes.js';
import { WebhookVerificationError } from './errors.js';
import type { WebhookEvent } from './generated/events.js';

export const SIGNATURE_HEADER = 'WTH-Signature';
export const DEFAULT_TOLERANCE_SEC = 300;

/** The request body exactly as received: a string, or bytes (a Node Buffer is a Uint8Array). */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** The `WTH-Signature` header's value as your framework hands it over. */
export type SignatureHeader = string | readonly string[] | null | undefined;

export interface VerifyOptions {
  /** Reject signatures made more than this many seconds before or after `now`. Default 300. */
  toleranceSec?: number;
  /** The receiver's clock: a Date, or unix seconds. Default: the current time. */
  now?: Date | number;
}

export interface PendingVerification {
  readonly timestampSec: number;
  /** `<t>.<raw body>` as bytes: what the sender signed. */
  readonly signedPayload: Uint8Array;
  /** Every `v1` of the header, decoded. */
  readonly signatures: readonly Uint8Array[];
  readonly secrets: readonly string[];
  readonly body: Uint8Array;
  readonly nowSec: number;
  readonly toleranceSec: number;
}

const RAW_BODY_WAYS =
  "express.raw({ type: 'application/json' }) on the webhook route, Koa's ctx.request.rawBody, " +
  "Fastify's content-type parser with parseAs: 'buffer', or await request.text() for a Web Request";

export function rawBytes(rawBody: unknown): Uint8Array {
  if (typeof rawBody === 'string') return utf8(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  if (ArrayBuffer.isView(rawBody)) return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  if (rawBody === undefined || rawBody === null) {
    throw new WebhookVerificationError(
      'body_not_raw',
      `The request body is ${rawBody}: it was not captured.`,
      `Pass the exact bytes received, read before any body parser: ${RAW_BODY_WAYS}.`,
    );
  }
  throw new WebhookVerificationError(
    'body_not_raw',
    `The request body is ${typeof rawBody === 'object' ? 'an already parsed object' : `a ${typeof rawBody}`}, not the raw body.`,
    'A JSON body parser ran before verification; the signature covers the exact bytes, which re-serialising ' +
      `cannot reproduce. Pass the raw body instead: ${RAW_BODY_WAYS}.`,
  );
}

export function checkSecrets(secrets: unknown): string[] {
  const list = typeof secrets === 'string' ? [secrets] : Array.isArray(secrets) ? (secrets as unknown[]) : [];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new WebhookVerificationError(
      'invalid_secret',
      'No usable signing secret was given.',
      "Pass the endpoint's signing secret (whsec_…) as a string, or an array of them during a rotation; " +
        'check that the environment variable holding it is set.',
    );
  }
  if ((list as string[]).some((s) => /\s/.test(s))) {
    throw new WebhookVerificationError(
      'secret_whitespace',
      'A signing secret contains whitespace.',
      'Signing secrets are whsec_ followed by letters and digits; a trailing newline or space usually comes from ' +
        'a .env file or a copy-paste. Trim it.',
    );
  }
  return list as string[];
}

const malformed = (what: string) =>
  new WebhookVerificationError(
    'malformed_header',
    `The WTH-Signature header is malformed: ${what}.`,
    'Expected t=<unix seconds>,v1=<64 hex characters>[,v1=…]: pass the header value unchanged.',
  );

function parseHeader(header: unknown): { timestampSec: number; signatures: Uint8Array[] } {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value === null || value === '') {
    throw new WebhookVerificationError(
      'missing_header',
      'The request has no WTH-Signature header.',
      "Pass the header's value, e.g. req.get('WTH-Signature') or request.headers.get('WTH-Signature'); " +
        'if it is set by the sender, a proxy in between may be dropping it.',
    );
  }
  if (typeof value !== 'string') throw malformed(`expected a string, got ${typeof value}`);
  let timestampSec: number | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw malformed(`"${part.trim().slice(0, 20)}" is not key=value`);
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestampSec !== undefined) throw malformed('more than one t=');
      if (!/^\d{1,12}$/.test(v)) throw malformed('t= is not unix seconds');
      timestampSec = Number(v);
    } else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(v)) {
      signatures.push(hexToBytes(v));
    }
    // Other schemes are skipped so that a future v2 next to v1 does not break this version.
  }
  if (timestampSec === undefined) throw malformed('no t= timestamp');
  if (signatures.length === 0) throw malformed('no v1= signature of 64 hex characters');
  return { timestampSec, signatures };
}

function nowSeconds(now: VerifyOptions['now']): number {
  if (now === undefined) return Date.now() / 1000;
  if (now instanceof Date && !Number.isNaN(now.getTime())) return now.getTime() / 1000;
  // Milliseconds passed by mistake would make every signature look decades old.
  if (typeof now === 'number' && Number.isFinite(now) && now >= 0 && now < 1e11) return now;
  throw new TypeError('options.now must be a valid Date or unix seconds (not milliseconds)');
}

/** Checks the inputs and parses the header; throws for anything that makes verification moot. */
export function beginVerification(
  rawBody: unknown,
  header: unknown,
  secrets: unknown,
  options: VerifyOptions = {},
): PendingVerification {
  const toleranceSec = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (typeof toleranceSec !== 'number' || !Number.isFinite(toleranceSec) || toleranceSec < 0) {
    throw new TypeError('options.toleranceSec must be a non-negative number of seconds');
  }
  const nowSec = nowSeconds(options.now);
  const body = rawBytes(rawBody);
  const checkedSecrets = checkSecrets(secrets);
  const { timestampSec, signatures } = parseHeader(header);
  return {
    timestampSec,
    signedPayload: concat(utf8(`${timestampSec}.`), body),
    signatures,
    secrets: checkedSecrets,
    body,
    nowSec,
    toleranceSec,
  };
}

/**
 * After the signatures were compared: the replay window (checked second, so that a timestamp
 * error means the signature itself was valid), then the event.
 */
export function completeVerification(pending: PendingVerification, matched: boolean): WebhookEvent {
  if (!matched) {
    throw new WebhookVerificationError(
      'no_matching_signature',
      'No signature in the WTH-Signature header matches the body with the given secret(s).',
      "Use this endpoint's own secret (each endpoint has one; test and live endpoints differ), as the literal " +
        'whsec_… string (it is the HMAC key as is, not base64-decoded as in Standard Webhooks), and verify the ' +
        'exact bytes received, not re-serialised JSON.',
    );
  }
  const ageSec = Math.round(pending.nowSec - pending.timestampSec);
  if (ageSec > pending.toleranceSec) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `The signature is valid but was made ${ageSec} s ago, more than the tolerance of ${pending.toleranceSec} s.`,
      "Every attempt is signed when sent, so either this is a replayed request or this server's clock is ahead: " +
        'check that it is synchronised (NTP).',
    );
  }
  if (-ageSec > pending.toleranceSec) {
    throw new WebhookVerificationError(
      'timestamp_in_future',
      `The signature is valid but dated ${-ageSec} s in the future, more than the tolerance of ${pending.toleranceSec} s.`,
      "This server's clock is behind: check that it is synchronised (NTP).",
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(new TextDecoder().decode(pending.body));
  } catch {
    event = undefined;
  }
  const e = event as { id?: unknown; type?: unknown } | undefined;
  if (typeof e !== 'object' || e === null || typeof e.id !== 'string' || typeof e.type !== 'string') {
    throw new WebhookVerificationError(
      'invalid_payload',
      'The signature is valid but the body is not a JSON event.',
      'Make sure the body reaches verification undecoded (no gzip, no charset conversion).',
    );
  }
  return event as WebhookEvent;
}
