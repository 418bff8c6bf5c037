import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { generateOpenApiDocument } from '../../api/openapi/document';
import { optionalText, requiredText } from '../../api/schemas/text';

const ok = (s: unknown, v: string) => {
  const r = requiredText(5).safeParse(v);
  return r.success ? r.data === s : false;
};

test('required text: stored trimmed, refused when blank or longer than documented as sent', () => {
  assert.ok(ok('Rolex', 'Rolex'));
  assert.ok(ok('A', '\u000bA '));
  for (const blank of ['', ' ', '\u000b', '\ufeff', '\u001c', '\u0085', '\u3000\n'])
    assert.equal(requiredText(5).safeParse(blank).success, false, JSON.stringify(blank));
  assert.equal(requiredText(5).safeParse('abcd  ').success, false, 'six characters as sent');
  assert.equal(optionalText(3).parse(' a '), 'a');
  assert.equal(optionalText(3).safeParse('  a ').success, false);
});

test("the documented pattern means the same in Python's regex engine (what fuzzers generate from) as here", () => {
  const registry = new OpenAPIRegistry();
  registry.register('T', requiredText(5));
  const doc = generateOpenApiDocument(registry) as unknown as {
    components: { schemas: { T: { pattern: string; maxLength: number } } };
  };
  const { pattern, maxLength } = doc.components.schemas.T;
  assert.equal(maxLength, 5);
  assert.equal(new RegExp(pattern).test('a\u0000'), false, 'no string may hold U+0000');
  const js = new RegExp(pattern);
  const python = execFileSync(
    'python3',
    [
      '-c',
      'import re,sys; p=re.compile(sys.argv[1]); print("".join("1" if p.search(chr(c)) else "0" for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF))',
      pattern,
    ],
    { encoding: 'utf8' },
  ).trim();
  let i = 0;
  const differ: string[] = [];
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if ((python[i++] === '1') !== js.test(String.fromCharCode(c))) differ.push(`U+${c.toString(16).padStart(4, '0')}`);
  }
  assert.deepEqual(differ, []);
});
