// Inputs of generateTestHeader(Async): sign like the sender does, for receivers' own tests.
import { concat, utf8 } from './bytes.js';
import { checkSecrets, rawBytes, type RawBody } from './verify-core.js';

export interface TestHeaderOptions {
  /** The exact body you will send, e.g. JSON.stringify(buildExampleEvent('order.received')). */
  payload: RawBody;
  /** One secret, or several to get one v1 per secret as during a rotation (newest first). */
  secret: string | readonly string[];
  /** When it was signed: a Date or unix seconds. Default: now. */
  timestamp?: Date | number;
}

export function signingInput(options: TestHeaderOptions): {
  timestampSec: number;
  payload: Uint8Array;
  secrets: string[];
} {
  const { timestamp } = options;
  const timestampSec =
    timestamp === undefined
      ? Math.floor(Date.now() / 1000)
      : timestamp instanceof Date
        ? Math.floor(timestamp.getTime() / 1000)
        : timestamp;
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0 || timestampSec >= 1e11) {
    throw new TypeError('timestamp must be a valid Date or whole unix seconds (not milliseconds)');
  }
  const secrets = checkSecrets(options.secret);
  return { timestampSec, payload: concat(utf8(`${timestampSec}.`), rawBytes(options.payload)), secrets };
}

export const formatHeader = (timestampSec: number, hexSignatures: readonly string[]): string =>
  [`t=${timestampSec}`, ...hexSignatures.map((s) => `v1=${s}`)].join(',');
