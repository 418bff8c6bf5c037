// The production artifact, not the sources: the compiled CLI migrates a database the sources
// migrated (same migration names), and the compiled API and worker, started the way the image
// starts them (`node --enable-source-maps dist/...`, no tsx), deliver a signed webhook.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { client, waitUntil } from '../helpers/http';
import { startReceiver } from '../helpers/receiver';
import { createTestDealer, testConfig } from '../helpers/stack';
import { createDb, type Db } from '../../lib/db';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const children: ChildProcess[] = [];
let db: Db;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function runDist(entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(DIST, entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

before(async () => {
  // CI builds first (.ci/run); a plain `npm test` on a fresh clone builds here.
  // Every artifact, not one: a failed build can leave compiled files without the bundles.
  const artifacts = ['api/server.js', 'worker/main.js', 'workflow-bundle.js', 'web/index.html'];
  if (!artifacts.every((f) => fs.existsSync(path.join(DIST, f)))) {
    execFileSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
  }
  db = createDb(testConfig());
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await db.destroy();
});

test('dist/ has no TypeScript runtime: compiled entry points, migrations and the workflow bundle', () => {
  for (const f of [
    'api/server.js',
    'worker/main.js',
    'cli/wth.js',
    'workflow-bundle.js',
    'api/server.js.map',
    'web/index.html',
  ]) {
    assert.ok(fs.existsSync(path.join(DIST, f)), f);
  }
  const sources = fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts'));
  const compiled = fs.readdirSync(path.join(DIST, 'migrations')).filter((f) => f.endsWith('.js'));
  assert.deepEqual(
    compiled.map((f) => f.replace(/\.js$/, '.ts')),
    sources,
  );
});

test('the compiled CLI sees the database the sources migrated as current', () => {
  const out = execFileSync(process.execPath, [path.join(DIST, 'cli', 'wth.js'), 'migrate'], {
    env: process.env,
    encoding: 'utf8',
  });
  assert.equal(out.trim(), 'up to date');
});

test('the compiled API and worker deliver a signed test ping', async () => {
  const port = await freePort();
  const taskQueue = `wth-dist-${process.pid}`;
  const env = {
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: path.join(DIST, 'workflow-bundle.js'),
  };
  runDist('api/server.js', env);
  runDist('worker/main.js', env);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, {
    what: 'compiled API ready',
    timeoutMs: 60_000,
  });

  // The compiled API serves the dashboard it was built with (dist/web), CSP and all.
  const page = await fetch(`${url}/login`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.match(await page.text(), /<script type="module" src="\/assets\//);

  const d = await createTestDealer(db);
  const c = client(url, d.keys.test.key);
  const receiver = await startReceiver();
  try {
    const ep = await c.post('/api/v1/webhook_endpoints', { url: receiver.url });
    assert.equal(ep.status, 200, JSON.stringify(ep.body));
    receiver.secrets.push(ep.body.secret);
    const ping = await c.post('/api/v1/test/webhook_ping', {});
    assert.ok(ping.status < 300, JSON.stringify(ping.body));
    const got = await waitUntil(async () => receiver.requests.find((r) => r.verifiedBy.length > 0), {
      what: 'signed delivery from the compiled worker',
      timeoutMs: 60_000,
    });
    assert.equal(got.body.type, 'integration.test_event');
  } finally {
    await receiver.close();
  }
});
