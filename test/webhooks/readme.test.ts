// One tested source of truth for receivers: the package README shows the recipe files the
// recipe tests run, verbatim, and the main README links to it instead of carrying a snippet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = path.join(ROOT, 'packages', 'webhooks');
const read = (p: string) => fs.readFileSync(p, 'utf8');

test('every recipe block of the package README is its example file, verbatim, and every file is shown', () => {
  const readme = read(path.join(PKG, 'README.md'));
  const blocks = [...readme.matchAll(/<!-- recipe: (examples\/[\w.-]+) -->\n\n```ts\n([\s\S]*?)```\n/g)];
  const shown = blocks.map(([, file]) => file);
  const files = fs.readdirSync(path.join(PKG, 'examples')).map((f) => `examples/${f}`);
  assert.deepEqual([...shown].sort(), files.sort(), 'one README block per example file');
  for (const [, file, code] of blocks) {
    assert.equal(code, read(path.join(PKG, file as string)), `${file}: paste the file into its README block`);
  }
  // The recipe tests run exactly these files.
  const recipesTest = read(path.join(ROOT, 'test', 'webhooks', 'recipes.test.ts'));
  for (const file of files) assert.ok(recipesTest.includes(`packages/webhooks/${file.replace(/\.ts$/, '')}'`), file);
});

test('the main README links to the package README and carries no verification code of its own', () => {
  const readme = read(path.join(ROOT, 'README.md'));
  assert.match(readme, /\]\(packages\/webhooks\/README\.md\)/);
  assert.doesNotMatch(readme, /createHmac|timingSafeEqual|function verify/);
});
