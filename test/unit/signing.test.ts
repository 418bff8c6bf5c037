import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHeader, verifySignature } from '../../lib/signing';

const body = '{"id":"evt_1","object":"event"}';
const t = 1_700_000_000;
// Computed independently with:
//   printf '%s' '1700000000.{"id":"evt_1","object":"event"}' | openssl dgst -sha256 -hmac '<secret>' -hex
const VECTOR_A = '569af54b101153218a689e9d8a960b58c51268714598930dfdcf911063ee4875';
const VECTOR_B = '30089fd3b6716b9a8037b586c5644ca1bd9afa39a7df9ccffe9cb823c543f8e1';

test('signing: matches an independently computed HMAC-SHA256 test vector', () => {
  assert.equal(signatureHeader(['whsec_test_secret_A'], t, body), `t=${t},v1=${VECTOR_A}`);
});

test('signing: one v1 per secret, in the order given (newest first)', () => {
  assert.equal(
    signatureHeader(['whsec_test_secret_B', 'whsec_test_secret_A'], t, body),
    `t=${t},v1=${VECTOR_B},v1=${VECTOR_A}`,
  );
  assert.throws(() => signatureHeader([], t, body));
});

test('verify: accepts a header signed by any of the receiver secrets', () => {
  const header = signatureHeader(['whsec_test_secret_B', 'whsec_test_secret_A'], t, body);
  assert.deepEqual(verifySignature(header, ['whsec_test_secret_A'], body, t), { ok: true, timestampSec: t });
  assert.deepEqual(verifySignature(header, ['whsec_test_secret_B'], body, t + 10), { ok: true, timestampSec: t });
  assert.equal(verifySignature(header, ['whsec_other'], body, t).ok, false);
});

test('verify: a changed body or timestamp fails', () => {
  const header = signatureHeader(['whsec_test_secret_A'], t, body);
  assert.deepEqual(verifySignature(header, ['whsec_test_secret_A'], body + ' ', t), {
    ok: false,
    reason: 'no_matching_signature',
  });
  const moved = header.replace(`t=${t}`, `t=${t + 1}`);
  assert.deepEqual(verifySignature(moved, ['whsec_test_secret_A'], body, t), {
    ok: false,
    reason: 'no_matching_signature',
  });
});

test('verify: replay window of 300 s by default, in both directions, configurable', () => {
  const header = signatureHeader(['whsec_test_secret_A'], t, body);
  assert.equal(verifySignature(header, ['whsec_test_secret_A'], body, t + 300).ok, true);
  assert.equal(verifySignature(header, ['whsec_test_secret_A'], body, t - 300).ok, true);
  assert.deepEqual(verifySignature(header, ['whsec_test_secret_A'], body, t + 301), {
    ok: false,
    reason: 'timestamp_outside_tolerance',
  });
  assert.equal(verifySignature(header, ['whsec_test_secret_A'], body, t - 301).ok, false);
  assert.equal(verifySignature(header, ['whsec_test_secret_A'], body, t + 1000, 1000).ok, true);
});

test('verify: malformed headers are rejected, unknown schemes ignored', () => {
  for (const h of [undefined, '', 'garbage', `v1=${VECTOR_A}`, `t=abc,v1=${VECTOR_A}`, `t=${t}`, `t=${t},v1=zz`]) {
    assert.deepEqual(
      verifySignature(h, ['whsec_test_secret_A'], body, t),
      { ok: false, reason: 'malformed_header' },
      h,
    );
  }
  assert.equal(verifySignature(`t=${t},v0=abc,v1=${VECTOR_A}`, ['whsec_test_secret_A'], body, t).ok, true);
});
