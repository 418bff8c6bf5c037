// @watchtraderhub/webhooks as published: `npm pack` builds it, and a consumer outside this
// repository requires it (CommonJS), imports it (ESM), type-checks against it, and runs its
// Web Crypto entry with no Node built-ins at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { webcrypto } from 'node:crypto';
import { signatureHeader } from '../../lib/signing';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = path.join(ROOT, 'packages', 'webhooks');
let consumer: string;
let installed: string;
let packed: string[];

const secret = 'whsec_packagePackagePackagePackage12';
const body = JSON.stringify({
  id: 'evt_pkg',
  object: 'event',
  type: 'integration.test_event',
  data: { object: { message: 'hi' } },
});

before(() => {
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'wth-webhooks-consumer-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: PKG, encoding: 'utf8' });
  const info = JSON.parse(out.slice(out.indexOf('[')))[0];
  packed = info.files.map((f: { path: string }) => f.path);
  installed = path.join(consumer, 'node_modules', '@watchtraderhub', 'webhooks');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(consumer, info.filename), '-C', installed, '--strip-components=1']);
});
after(() => fs.rmSync(consumer, { recursive: true, force: true }));

const run = (file: string, code: string) => {
  fs.writeFileSync(path.join(consumer, file), code);
  return execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', env: { PATH: process.env.PATH } });
};

test('the tarball holds the compiled ESM and CommonJS builds with types and the README, no sources', () => {
  for (const f of ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/esm/web.js']) {
    assert.ok(packed.includes(f), f);
  }
  for (const f of ['dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/web.js', 'dist/cjs/package.json']) {
    assert.ok(packed.includes(f), f);
  }
  assert.deepEqual(
    packed.filter((f) => f.startsWith('src/') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
    [],
  );
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.dependencies ?? {}, {}, 'no runtime dependencies');
});

test('require() and import both verify a header made by the server signer', () => {
  const header = signatureHeader([secret], Math.floor(Date.now() / 1000), body);
  const args = [body, header, secret].map((a) => JSON.stringify(a)).join(', ');
  const call = `.verifySignature(${args}).id`;
  assert.equal(run('cjs.cjs', `console.log(require('@watchtraderhub/webhooks')${call})`).trim(), 'evt_pkg');
  const esm = `import * as w from '@watchtraderhub/webhooks';
    import * as web from '@watchtraderhub/webhooks/web';
    console.log(w${call}, (await web.verifySignatureAsync(${args})).id);
    try { w.verifySignature('{}', ${JSON.stringify(header)}, ${JSON.stringify(secret)}) } catch (e) { console.log(e instanceof w.WebhookVerificationError, e.code) }`;
  assert.equal(run('esm.mjs', esm).trim(), 'evt_pkg evt_pkg\ntrue no_matching_signature');
});

test('a TypeScript consumer (module nodenext) gets the typed events from the published .d.ts', () => {
  fs.writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
    }),
  );
  fs.writeFileSync(
    path.join(consumer, 'consumer.mts'),
    `import { verifySignatureAsync, type WebhookEvent } from '@watchtraderhub/webhooks/web';
export async function amount(body: string, header: string | null): Promise<number | undefined> {
  const event: WebhookEvent = await verifySignatureAsync(body, header, ['whsec_a', 'whsec_b'], { toleranceSec: 60 });
  return event.type === 'order.received' ? event.data.object.total_amount : undefined;
}
`,
  );
  // A parsed body is a compile error already, not only a runtime one.
  fs.writeFileSync(
    path.join(consumer, 'bad.mts'),
    `import { verifySignature } from '@watchtraderhub/webhooks';\nverifySignature({}, 'h', 's');\n`,
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', '.', '--lib', 'es2022,dom'], {
    cwd: consumer,
    encoding: 'utf8',
  });
  const errors = result.stdout.split('\n').filter(Boolean);
  assert.equal(errors.length, 1, result.stdout);
  assert.match(errors[0] as string, /^bad\.mts\(2,17\): .*not assignable to parameter of type 'RawBody'/);
});

test('the web entry runs with Web Crypto alone: no node: modules, no Buffer, no process', async () => {
  const dir = path.join(installed, 'dist', 'cjs');
  const loaded = new Map<string, unknown>();
  // A CommonJS loader for the package's own files only; anything else is what an edge runtime lacks.
  const load = (file: string): unknown => {
    if (loaded.has(file)) return (loaded.get(file) as { exports: unknown }).exports;
    const module = { exports: {} };
    loaded.set(file, module);
    const requireFn = (spec: string) => {
      if (!spec.startsWith('.')) throw new Error(`the web build requires ${spec}`);
      return load(path.resolve(path.dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`));
    };
    const context = vm.createContext({ crypto: webcrypto, TextEncoder, TextDecoder, structuredClone, console });
    vm.runInContext(`(function (exports, require, module) {${fs.readFileSync(file, 'utf8')}\n})`, context)(
      module.exports,
      requireFn,
      module,
    );
    return module.exports;
  };
  const web = load(path.join(dir, 'web.js')) as typeof import('@watchtraderhub/webhooks/web');
  const header = signatureHeader([secret], Math.floor(Date.now() / 1000), body);
  assert.equal((await web.verifySignatureAsync(body, header, ['whsec_old', secret])).id, 'evt_pkg');
  assert.equal((await web.verifySignatureAsync(new TextEncoder().encode(body), header, secret)).id, 'evt_pkg');
  await assert.rejects(web.verifySignatureAsync(body.replace('hi', 'ho'), header, secret), {
    code: 'no_matching_signature',
  });
  assert.equal(
    await web.generateTestHeaderAsync({ payload: body, secret, timestamp: 1_700_000_000 }),
    signatureHeader([secret], 1_700_000_000, body),
  );
  assert.equal(web.buildExampleEvent('order.fulfilled').type, 'order.fulfilled');
  // And the main entry is the one that needs node:crypto.
  assert.throws(() => load(path.join(dir, 'index.js')), /the web build requires node:crypto/);

  // The ESM build's import graph from web.js has no node: specifier either.
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of fs
      .readFileSync(file, 'utf8')
      .matchAll(/^(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]/gm)) {
      assert.ok(spec!.startsWith('./') || spec!.startsWith('../'), `${path.basename(file)} imports ${spec}`);
      walk(path.resolve(path.dirname(file), spec!));
    }
  };
  walk(path.join(installed, 'dist', 'esm', 'web.js'));
  assert.ok(seen.size > 5);
});
