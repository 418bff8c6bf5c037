// `npm test`: a throwaway stack on free ports (never the ones npm start uses), a prebuilt
// workflow bundle, then every test file under node's test runner against the real services.
//   npm test                       the whole suite
//   npm test -- test/api/me.test.ts   some files
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv, loadStackEnv } from '../lib/config';
import { bootStack, ROOT } from './stack/boot';
import { writeWorkflowBundle } from './stack/bundle';
import { ensureWebBundle } from './web/build';
import { ensureChromium } from './web/chromium';

const log = (msg: string) => process.stdout.write(`[test] ${msg}\n`);

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

// Pure unit tests first: they fail fastest.
const order = (f: string) => (f.includes(`${path.sep}unit${path.sep}`) ? 0 : f.includes(`${path.sep}drill`) ? 2 : 1);

/** Runs killed mid-way leave a daemonized Postgres behind; stop it and drop their data. */
function reapStaleRuns(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    const pidFile = path.join(dir, name, 'pg', 'data', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pgPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pgPid && isAlive(pgPid)) process.kill(pgPid, 'SIGQUIT');
    }
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  reapStaleRuns(path.join(ROOT, '.data', 'test'));
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = (requested.length ? requested.map((f) => path.resolve(f)) : findTests(path.join(ROOT, 'test'))).sort(
    (a, b) => order(a) - order(b) || a.localeCompare(b),
  );
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    log(`no such test file: ${missing.map((f) => path.relative(ROOT, f)).join(', ')}`);
    return 1;
  }
  // The API under test serves the built dashboard; browser tests also need Chromium.
  await ensureWebBundle(log);
  if (files.some((f) => path.relative(ROOT, f).startsWith(path.join('test', 'web') + path.sep))) ensureChromium(log);
  const runId = `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const baseDir = path.join(ROOT, '.data', 'test', runId);
  const stack = await bootStack({ mode: 'test', baseDir, log });
  let code = 1;
  try {
    log('bundling workflows once for every test worker');
    const bundlePath = path.join(baseDir, 'workflow-bundle.js');
    await writeWorkflowBundle(bundlePath);

    const tapFile = path.join(baseDir, 'results.tap');
    const env = childEnv({
      WTH_ENV: 'test',
      LOG_LEVEL: loadStackEnv().CI ? 'warn' : 'error',
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: `wth-test-${process.pid}`,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      SECRETS_ENCRYPTION_KEY: stack.secretsKey,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      // Admission control is a cap over the whole database, and every test file shares this one:
      // leftovers of one file (unstarted events, deliveries to hanging receivers) would hold
      // another file's events in the outbox. Its own tests pass the cap explicitly.
      WEBHOOK_MAX_IN_FLIGHT_DELIVERIES: '0',
      // Workers a test spawns serve health on a free port, never the 3001 `npm start` may hold.
      WORKER_HTTP_PORT: '0',
      WTH_TEST_BASE_DIR: baseDir,
      ...(stack.temporalCli ? { TEMPORAL_CLI: stack.temporalCli } : {}),
    });
    log(`running ${files.length} test file(s)`);
    code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-concurrency=1',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${tapFile}`,
          ...files,
        ],
        { env, stdio: 'inherit', cwd: ROOT },
      );
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
      // Ctrl-C or a CI timeout: stop the tests, then fall through to stopping the stack.
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => child.kill(sig));
    });
    const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
    const count = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(`\n[test] ${count('tests')} tests in ${files.length} files, ${seconds}s\n`);
    process.stdout.write(`tests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed\n`);
    if (count('tests') === 0) code = 1;
  } finally {
    await stack.stop();
    if (code === 0 && !loadStackEnv().KEEP_TEST_DATA) fs.rmSync(baseDir, { recursive: true, force: true });
    else log(`logs and data kept in ${path.relative(ROOT, baseDir)}`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[test] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
