// @watchtraderhub/webhooks verification, both implementations (node:crypto and Web Crypto),
// against headers made by the server's own signer (lib/signing.ts) and an openssl test vector.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  generateTestHeader,
  generateTestHeaderAsync,
  verifySignature,
  verifySignatureAsync,
  WebhookVerificationError,
  type VerifyOptions,
  type WebhookEvent,
  type WebhookVerificationErrorCode,
} from '@watchtraderhub/webhooks';
import { signatureHeader } from '../../lib/signing';

// Computed independently with:
//   printf '%s' '1700000000.{"id":"evt_1","object":"event"}' | openssl dgst -sha256 -hmac 'whsec_test_secret_A' -hex
const VECTOR = '569af54b101153218a689e9d8a960b58c51268714598930dfdcf911063ee4875';

type Verify = (body: unknown, header: unknown, secrets: unknown, options?: VerifyOptions) => Promise<WebhookEvent>;

const IMPLEMENTATIONS: [string, Verify][] = [
  ['verifySignature (node:crypto)', async (b, h, s, o) => verifySignature(b as string, h as string, s as string, o)],
  ['verifySignatureAsync (Web Crypto)', (b, h, s, o) => verifySignatureAsync(b as string, h as string, s as string, o)],
];

const t = 1_700_000_000;
const now = new Date(t * 1000);
const oldSecret = 'whsec_oldoldoldoldoldoldoldoldoldoldol';
const newSecret = 'whsec_newnewnewnewnewnewnewnewnewnewne';
const event = { id: 'evt_1', object: 'event', type: 'listing.updated', data: { object: { név: 'ü €' } } };
const body = JSON.stringify(event);

async function rejects(promise: Promise<unknown>, code: WebhookVerificationErrorCode, what: string) {
  await assert.rejects(
    promise,
    (err: unknown) => {
      assert.ok(err instanceof WebhookVerificationError, `${what}: ${String(err)}`);
      assert.equal(err.code, code, `${what}: ${err.message}`);
      assert.ok(err.hint.length > 20, `${what}: has a hint`);
      assert.ok(err.message.includes(err.hint), `${what}: the message carries the hint`);
      for (const secret of [oldSecret, newSecret]) assert.ok(!err.message.includes(secret), `${what}: no secret`);
      assert.ok(!/[0-9a-f]{64}/.test(err.message), `${what}: no signature in the message`);
      return true;
    },
    what,
  );
}

for (const [name, verify] of IMPLEMENTATIONS) {
  describe(name, () => {
    test('accepts the server signature over the raw body as a string, Buffer, Uint8Array or ArrayBuffer', async () => {
      const header = signatureHeader([newSecret], t, body);
      const bytes = Buffer.from(body, 'utf8');
      const bodies = [
        body,
        bytes,
        new Uint8Array(bytes),
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      ];
      for (const raw of bodies) assert.deepEqual(await verify(raw, header, newSecret, { now }), event);
    });

    test('matches an independently computed HMAC-SHA256 vector (openssl dgst -sha256 -hmac)', async () => {
      // The vector's body has no `type`: invalid_payload is only checked after the signature matched.
      const vectorBody = '{"id":"evt_1","object":"event"}';
      const header = `t=${t},v1=${VECTOR}`;
      await rejects(verify(vectorBody, header, 'whsec_test_secret_A', { now }), 'invalid_payload', 'vector');
      await rejects(verify(vectorBody, header, 'whsec_test_secret_B', { now }), 'no_matching_signature', 'vector B');
    });

    test('rotation: any v1 matching any of the secrets, one secret or an array', async () => {
      const both = signatureHeader([newSecret, oldSecret], t, body);
      for (const secrets of [oldSecret, newSecret, [oldSecret], ['whsec_other', newSecret]]) {
        assert.equal((await verify(body, both, secrets, { now })).id, 'evt_1', JSON.stringify(secrets));
      }
      // A receiver that already holds the new secret while the sender still signs with the old.
      const onlyOld = signatureHeader([oldSecret], t, body);
      assert.equal((await verify(body, onlyOld, [newSecret, oldSecret], { now })).id, 'evt_1');
    });

    test('the 5-minute window holds on both sides; toleranceSec and now change it', async () => {
      const header = signatureHeader([newSecret], t, body);
      for (const offset of [-300, 0, 300]) {
        await verify(body, header, newSecret, { now: t + offset });
      }
      await rejects(verify(body, header, newSecret, { now: t + 301 }), 'timestamp_too_old', '301 s old');
      await rejects(verify(body, header, newSecret, { now: t - 301 }), 'timestamp_in_future', '301 s ahead');
      await verify(body, header, newSecret, { now: t + 3000, toleranceSec: 3600 });
      await rejects(verify(body, header, newSecret, { now: t + 11, toleranceSec: 10 }), 'timestamp_too_old', '10 s');
      // The default clock is the real one.
      await rejects(verify(body, header, newSecret), 'timestamp_too_old', 'real clock');
      const fresh = signatureHeader([newSecret], Math.floor(Date.now() / 1000), body);
      assert.equal((await verify(body, fresh, newSecret)).id, 'evt_1');
    });

    test('a wrong secret, a tampered body or timestamp, or a base64-decoded key match nothing', async () => {
      const header = signatureHeader([newSecret], t, body);
      // What a Standard Webhooks library does with a whsec_ secret: base64-decode what follows.
      const decodedKey = Buffer.from(newSecret.slice('whsec_'.length), 'base64');
      const decodedSig = createHmac('sha256', decodedKey).update(`${t}.${body}`).digest('hex');
      const cases: [string, unknown, string, unknown][] = [
        ['wrong secret', body, header, oldSecret],
        ['tampered body', body.replace('evt_1', 'evt_2'), header, newSecret],
        ['re-serialised body', JSON.stringify(event, null, 2), header, newSecret],
        ['timestamp changed', body, header.replace(`t=${t}`, `t=${t - 1}`), newSecret],
        ['signed with the base64-decoded secret', body, `t=${t},v1=${decodedSig}`, newSecret],
        ['signature of another scheme', body, `t=${t},v1=${'0'.repeat(64)}`, newSecret],
      ];
      for (const [what, raw, h, secrets] of cases) {
        await rejects(verify(raw, h, secrets, { now }), 'no_matching_signature', what);
      }
    });

    test('a signature check comes first: a stale forgery is reported as not matching', async () => {
      const forged = signatureHeader(['whsec_attacker'], t - 10_000, body);
      await rejects(verify(body, forged, newSecret, { now }), 'no_matching_signature', 'stale forgery');
    });

    test('missing and malformed headers', async () => {
      for (const h of [undefined, null, '', []]) {
        await rejects(verify(body, h, newSecret, { now }), 'missing_header', JSON.stringify(h) ?? 'undefined');
      }
      const good = signatureHeader([newSecret], t, body);
      const v1 = good.split(',')[1] as string;
      const malformed: [string, unknown][] = [
        ['garbage', 'garbage'],
        ['no timestamp', v1],
        ['timestamp not a number', `t=abc,${v1}`],
        ['timestamp in milliseconds', `t=${t}000,${v1}`],
        ['two timestamps', `t=${t},t=${t},${v1}`],
        ['no v1', `t=${t}`],
        ['only an unknown scheme', `t=${t},v0=${'ab'.repeat(32)}`],
        ['truncated v1', good.slice(0, -2)],
        ['not a string', 42],
      ];
      for (const [what, h] of malformed) await rejects(verify(body, h, newSecret, { now }), 'malformed_header', what);
      // Duplicated headers arrive as an array from some frameworks.
      assert.equal((await verify(body, [good], newSecret, { now })).id, 'evt_1');
      // Unknown schemes next to v1 are ignored (a future v2), and spaces after commas are fine.
      assert.equal((await verify(body, `${good}, v2=abc`, newSecret, { now })).id, 'evt_1');
    });

    test('a parsed body is refused with a hint to pass the raw body', async () => {
      const header = signatureHeader([newSecret], t, body);
      for (const raw of [event, undefined, null, 42, {}]) {
        await rejects(verify(raw, header, newSecret, { now }), 'body_not_raw', String(raw));
      }
      const err = await verify(event, header, newSecret, { now }).catch((e: WebhookVerificationError) => e);
      assert.match((err as WebhookVerificationError).hint, /express\.raw/);
    });

    test('secrets: whitespace is refused (a .env newline), missing ones are named', async () => {
      const header = signatureHeader([newSecret], t, body);
      for (const s of [`${newSecret}\n`, ` ${newSecret}`, [oldSecret, `${newSecret} `]]) {
        await rejects(verify(body, header, s, { now }), 'secret_whitespace', JSON.stringify(s));
      }
      for (const s of [undefined, '', [], [undefined], [newSecret, ''], 42]) {
        await rejects(verify(body, header, s, { now }), 'invalid_secret', JSON.stringify(s) ?? 'undefined');
      }
    });

    test('a validly signed body that is not a JSON event is refused', async () => {
      for (const raw of ['not json', '[]', '{"id":"evt_1"}', 'null']) {
        const header = signatureHeader([newSecret], t, raw);
        await rejects(verify(raw, header, newSecret, { now }), 'invalid_payload', raw);
      }
    });

    test('options are checked: now in milliseconds or a negative tolerance is a programming error', async () => {
      const header = signatureHeader([newSecret], t, body);
      await assert.rejects(verify(body, header, newSecret, { now: t * 1000 }), TypeError);
      await assert.rejects(verify(body, header, newSecret, { now: new Date(NaN) }), TypeError);
      await assert.rejects(verify(body, header, newSecret, { toleranceSec: -1 }), TypeError);
    });
  });
}

test('verifySignature throws synchronously; verifySignatureAsync only rejects', async () => {
  assert.throws(() => verifySignature(body, undefined, newSecret), WebhookVerificationError);
  const pending = verifySignatureAsync(body, undefined, newSecret);
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, WebhookVerificationError);
});

test('generateTestHeader(Async) produce exactly what the server signs, one v1 per secret', async () => {
  for (const [secrets, list] of [
    [newSecret, [newSecret]],
    [
      [newSecret, oldSecret],
      [newSecret, oldSecret],
    ],
  ] as const) {
    const expected = signatureHeader(list, t, body);
    assert.equal(generateTestHeader({ payload: body, secret: secrets, timestamp: t }), expected);
    assert.equal(generateTestHeader({ payload: Buffer.from(body), secret: secrets, timestamp: now }), expected);
    assert.equal(await generateTestHeaderAsync({ payload: body, secret: secrets, timestamp: t }), expected);
  }
  const vector = { payload: '{"id":"evt_1","object":"event"}', secret: 'whsec_test_secret_A', timestamp: t };
  assert.equal(generateTestHeader(vector), `t=${t},v1=${VECTOR}`);
  assert.equal(await generateTestHeaderAsync(vector), `t=${t},v1=${VECTOR}`);
  const fresh = generateTestHeader({ payload: body, secret: newSecret });
  assert.ok(Math.abs(Number(/^t=(\d+)/.exec(fresh)?.[1]) - Date.now() / 1000) < 5);
  assert.throws(() => generateTestHeader({ payload: body, secret: newSecret, timestamp: Date.now() }), TypeError);
  assert.throws(() => generateTestHeader({ payload: event as never, secret: newSecret }), /body_not_raw|raw body/);
});
