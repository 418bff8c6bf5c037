// One error class with a machine-readable code and a hint that tells the receiver's developer
// what to change; messages never contain a secret or the expected signature.

export type WebhookVerificationErrorCode =
  | 'missing_header'
  | 'malformed_header'
  | 'no_matching_signature'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'body_not_raw'
  | 'secret_whitespace'
  | 'invalid_secret'
  | 'invalid_payload';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    /** What is wrong, stable across versions: branch on this, not on the message. */
    readonly code: WebhookVerificationErrorCode,
    message: string,
    /** How to fix it. */
    readonly hint: string,
  ) {
    super(`${message} ${hint}`);
  }
}
