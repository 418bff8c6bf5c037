// The README's signature-verification snippet is what dealers' engineers copy: run it, as
// written there, against real signatures from lib/signing.ts, so the docs cannot rot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { signatureHeader, verifySignature } from '../../lib/signing';

type Verify = (
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: string[],
  toleranceSec?: number,
) => boolean;

function readmeSnippet(): string {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Receiving webhooks'));
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block?.includes('function verifyWthSignature'), 'the Receiving webhooks section has the js snippet');
  return block as string;
}

/** Evaluates the snippet as a CommonJS file would; it may require node:crypto and nothing else. */
function loadSnippet(): Verify {
  const sandbox = {
    require: (m: string) => (m === 'node:crypto' ? crypto : assert.fail(`requires ${m}`)),
    Buffer,
    Date,
  };
  vm.runInNewContext(`${readmeSnippet()}\nthis.verify = verifyWthSignature;`, sandbox);
  return (sandbox as unknown as { verify: Verify }).verify;
}

const verify = loadSnippet();
const now = () => Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'listing.updated', data: { object: { név: 'ü' } } });
const oldSecret = 'whsec_oldoldoldoldoldoldoldoldoldoldol';
const newSecret = 'whsec_newnewnewnewnewnewnewnewnewnewne';

test('the README snippet accepts a real signature, over the raw body as string or bytes', () => {
  const header = signatureHeader([newSecret], now(), body);
  assert.equal(verify(body, header, [newSecret]), true);
  assert.equal(verify(Buffer.from(body, 'utf8'), header, [newSecret]), true);
});

test('the README snippet accepts every v1 of a rotation, with either secret on the receiver', () => {
  const header = signatureHeader([newSecret, oldSecret], now(), body);
  assert.equal(verify(body, header, [oldSecret]), true);
  assert.equal(verify(body, header, [newSecret]), true);
  assert.equal(verify(body, header, ['whsec_other', newSecret]), true);
  // A receiver that already has the new secret, before the sender rotated.
  assert.equal(verify(body, signatureHeader([oldSecret], now(), body), [newSecret, oldSecret]), true);
});

test('the README snippet rejects what lib/signing.ts rejects', () => {
  const t = now();
  const cases: [string, string | undefined, string[], string][] = [
    ['wrong secret', signatureHeader([newSecret], t, body), [oldSecret], body],
    ['tampered body', signatureHeader([newSecret], t, body), [newSecret], body.replace('evt_1', 'evt_2')],
    ['six minutes old', signatureHeader([newSecret], t - 360, body), [newSecret], body],
    ['six minutes ahead', signatureHeader([newSecret], t + 360, body), [newSecret], body],
    ['no header', undefined, [newSecret], body],
    ['no timestamp', signatureHeader([newSecret], t, body).replace(/^t=\d+,/, ''), [newSecret], body],
    ['timestamp changed', signatureHeader([newSecret], t, body).replace(/^t=\d+/, `t=${t - 1}`), [newSecret], body],
    ['only an unknown scheme', `t=${t},v0=${'ab'.repeat(32)}`, [newSecret], body],
    ['truncated v1', signatureHeader([newSecret], t, body).slice(0, -2), [newSecret], body],
  ];
  for (const [what, header, secrets, raw] of cases) {
    assert.equal(verify(raw, header, secrets), false, what);
    assert.equal(verifySignature(header, secrets, raw, now()).ok, false, `${what} (lib/signing.ts agrees)`);
  }
});

test('the README snippet keeps the 5-minute tolerance on both sides', () => {
  for (const offset of [-290, 290]) {
    const header = signatureHeader([newSecret], now() + offset, body);
    assert.equal(verify(body, header, [newSecret]), true, `${offset} s`);
  }
});
