import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { client } from '../helpers/http';
import { startTestApi, type TestApi } from '../helpers/stack';

const WTH = path.resolve(__dirname, '..', '..', 'bin', 'wth');

function wth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(WTH, args, { env: process.env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

test('wth dealer create --json prints the dealer, its integration and two working keys once', async () => {
  const email = `cli-${randomBytes(4).toString('hex')}@example.test`;
  const res = await wth(['dealer', 'create', '--name', 'CLI Watches', '--email', email, '--json']);
  assert.equal(res.code, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  assert.equal(out.dealer.name, 'CLI Watches');
  assert.equal(out.dealer.email, email);
  assert.equal(out.integration.kind, 'custom');
  assert.equal(out.integration.live_enabled, false);
  assert.match(out.api_keys.test.key, /^wth_[0-9A-Za-z]{32}$/);
  assert.match(out.api_keys.live.key, /^wth_[0-9A-Za-z]{32}$/);
  assert.equal(out.api_keys.test.livemode, false);
  assert.equal(out.api_keys.live.livemode, true);

  const me = await client(api.url, out.api_keys.test.key).get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.dealer.id, out.dealer.id);
  assert.equal(me.body.integration.id, out.integration.id);
  // Only the prefix and hash are stored: the full key is nowhere in the database.
  const stored = await api.deps.db('api_keys').where({ integration_id: out.integration.id });
  assert.equal(stored.length, 2);
  assert.equal(JSON.stringify(stored).includes(out.api_keys.test.key), false);
});

test('wth dealer create works without an email, and refuses bad options with exit 2', async () => {
  const ok = await wth(['dealer', 'create', '--name', 'No Login Yet', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).dealer.email, null);

  const bad = await wth(['dealer', 'create', '--name', 'X', '--email', 'not-an-email', '--password', 'short']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--email/);
  assert.match(bad.stderr, /--password/);
  assert.equal(bad.stdout, '');
});

test('wth dealer create refuses a duplicate email without a stack trace', async () => {
  const email = `dup-${randomBytes(4).toString('hex')}@example.test`;
  assert.equal((await wth(['dealer', 'create', '--name', 'A', '--email', email])).code, 0);
  const dup = await wth(['dealer', 'create', '--name', 'B', '--email', email.toUpperCase()]);
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /already exists/);
  assert.doesNotMatch(dup.stderr, /\bat .*\.ts:\d+/);
});
