// The receiver package and the server stay apart (eslint.config.mjs), checked through ESLint's
// API on small sources placed where they would sit in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..', '..') });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = 1;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message);
}

test('no server layer imports the receiver package', async () => {
  for (const file of ['api/x.ts', 'domain/events/x.ts', 'lib/x.ts', 'activities/x.ts', 'worker/x.ts']) {
    const up = '../'.repeat(file.split('/').length - 1);
    for (const spec of ['@watchtraderhub/webhooks', `${up}packages/webhooks/src/index`]) {
      const messages = await restricted(file, `import { verifySignature } from '${spec}';\nvoid verifySignature;`);
      assert.ok(
        messages.some((m) => /never imports packages/.test(m)),
        `${file}: ${spec}`,
      );
    }
  }
});

test('the package imports nothing from the server, and node: modules only in node-crypto.ts', async () => {
  const src = 'packages/webhooks/src';
  assert.ok((await restricted(`${src}/x.ts`, "import { createApp } from '../../../api/app';\nvoid createApp;")).length);
  assert.ok((await restricted(`${src}/x.ts`, "import { createHmac } from 'node:crypto';\nvoid createHmac;")).length);
  assert.deepEqual(
    await restricted(`${src}/node-crypto.ts`, "import { createHmac } from 'node:crypto';\nvoid createHmac;"),
    [],
  );
  assert.deepEqual(await restricted(`${src}/x.ts`, "import { utf8 } from './bytes.js';\nvoid utf8;"), []);
});
