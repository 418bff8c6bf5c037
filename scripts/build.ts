// `npm run build`: what production runs, in dist/. tsc compiles the sources (source maps on)
// and the migrations; the workflow bundle is made here once, so workers never run webpack; the
// dealer dashboard is bundled into dist/web, which the compiled API serves.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeWorkflowBundle } from './stack/bundle';
import { buildWebAndReport } from './web/build';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

async function main(): Promise<void> {
  fs.rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  await writeWorkflowBundle(path.join(DIST, 'workflow-bundle.js'));
  await buildWebAndReport((msg) => process.stdout.write(`[build] ${msg}\n`), path.join(DIST, 'web'));
  process.stdout.write('[build] dist/ ready: node --enable-source-maps dist/api/server.js | dist/worker/main.js\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`[build] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
