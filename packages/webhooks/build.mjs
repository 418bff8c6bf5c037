// Builds dist/esm (import) and dist/cjs (require), each with .d.ts, from src/ with tsc.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const outDir = process.argv[2] ? path.resolve(process.argv[2]) : path.join(here, 'dist');

fs.rmSync(outDir, { recursive: true, force: true });
for (const [format, module, moduleResolution, type] of [
  ['esm', 'ES2022', 'Bundler', 'module'],
  ['cjs', 'CommonJS', 'Node10', 'commonjs'],
]) {
  const dir = path.join(outDir, format);
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      path.join(here, 'tsconfig.json'),
      '--outDir',
      dir,
      '--module',
      module,
      '--moduleResolution',
      moduleResolution,
    ],
    { stdio: 'inherit' },
  );
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ type })}\n`);
}
