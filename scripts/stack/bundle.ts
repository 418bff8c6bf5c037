// The worker's workflow code, bundled ahead of time: a worker given WORKFLOW_BUNDLE_PATH starts
// in about a second instead of running webpack. Used by npm test and by the container image.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../worker/create-worker';

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => process.stderr.write(`[bundle] ${m}\n`),
  error: (m: string) => process.stderr.write(`[bundle] ${m}\n`),
};

export async function writeWorkflowBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
}

// `tsx scripts/stack/bundle.ts <out.js>`
if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: tsx scripts/stack/bundle.ts <out.js>\n');
    process.exit(2);
  }
  writeWorkflowBundle(path.resolve(out)).then(
    () => process.stdout.write(`[bundle] wrote ${out}\n`),
    (err: unknown) => {
      process.stderr.write(`[bundle] failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
