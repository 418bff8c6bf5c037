// Property-based fuzz of the served OpenAPI document with Schemathesis: every operation, every
// check (no 5xx, documented statuses, response schemas and headers, content types, negative
// data rejected, positive data accepted, auth not ignored, stateful use-after-free ...), as a
// fresh dealer with a test key and a dashboard session, against the real API on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureSchemathesis, type PythonTool } from '../../scripts/stack/schemathesis';
import type { CreatedDealer } from '../../domain/accounts/dealers';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';

const ROOT = path.resolve(__dirname, '..', '..');
/** The whole run's budget; Schemathesis spreads it over its phases. */
const MAX_SECONDS = 75;
/**
 * Fixed, so a CI run fails only on what the change under test broke; WTH_FUZZ_SEED=random (or a
 * number) explores further, and every finding becomes a fix plus a regression test of its own.
 */
const SEED =
  process.env.WTH_FUZZ_SEED === 'random' ? Date.now() % 1_000_000 : Number(process.env.WTH_FUZZ_SEED ?? 20261201);
const CONFIG = path.join(__dirname, 'schemathesis.toml');

let api: TestApi;
let dealer: CreatedDealer;
let tool: PythonTool;

before(async () => {
  tool = ensureSchemathesis(ROOT);
  api = await startTestApi({
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    API_AUTH_FAILURES_PER_MINUTE: '1000000',
    // A queue no worker polls: whatever URL the fuzzer saves as an endpoint is never called.
    TEMPORAL_TASK_QUEUE: `wth-fuzz-${process.pid}`,
  });
  dealer = await createTestDealer(api.deps.db, 'Fuzz');
});

after(async () => {
  await api.deps.db('webhook_endpoints').where({ dealer_id: dealer.dealer.id }).delete();
  await api.close();
});

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.python, ['-m', 'schemathesis.cli', '--config-file', CONFIG, ...args], {
      env: { ...process.env, ...env, PYTHONPATH: tool.pythonPath, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
      cwd, // its .schemathesis/ cache lands in the run's throwaway directory
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

test('schemathesis finds no server error and no contract violation in any operation', async (t) => {
  const session = await dashboardSessionHeaders(api.deps.db, dealer.dealer.id);
  const reportDir = path.join(process.env.WTH_TEST_BASE_DIR ?? path.join(ROOT, '.data'), 'schemathesis');
  fs.mkdirSync(reportDir, { recursive: true });
  const { code, output } = await run(
    [
      'run',
      `${api.url}/api/v1/openapi.json`,
      '--url',
      api.url,
      '--checks',
      'all',
      '--max-time',
      String(MAX_SECONDS),
      // One worker: hypothesis' lambda introspection is not thread-safe on CPython 3.11.
      '--workers',
      '1',
      '--seed',
      String(SEED),
      '--request-timeout',
      '15',
      // Credentials through the config (it knows which parameter is auth); CSRF is no parameter.
      '-H',
      `X-CSRF-Token: ${session['x-csrf-token']}`,
      // Logging out would end the session every dashboard operation after it runs on.
      '--exclude-operation-id',
      'dashboardLogout',
      '--report',
      'junit',
      '--report-dir',
      reportDir,
    ],
    {
      WTH_FUZZ_API_KEY: dealer.keys.test.key,
      WTH_FUZZ_SESSION: (session.cookie ?? '').replace(/^[^=]*=/, ''),
    },
    reportDir,
  );
  fs.writeFileSync(path.join(reportDir, 'output.txt'), output);
  const summary = output.split('\n').slice(-60).join('\n');
  t.diagnostic(summary);
  assert.equal(code, 0, `schemathesis failed (exit ${code}):\n${output.slice(-20_000)}`);
  assert.match(output, /No issues found|passed/i);
});
