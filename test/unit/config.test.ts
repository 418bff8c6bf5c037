import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../lib/config';

const key = Buffer.alloc(32, 7).toString('base64');

test('config: valid environment parses with defaults', () => {
  const c = parseConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db', SECRETS_ENCRYPTION_KEY: key });
  assert.equal(c.API_PORT, 3000);
  assert.equal(c.WEBHOOK_ATTEMPT_TIMEOUT_MS, 10_000);
  assert.equal(c.WEBHOOK_ALLOW_PRIVATE_NETWORKS, false);
  assert.ok(c.WEBHOOK_RETRY_SCHEDULE_LIVE_MS.length >= 5);
  assert.equal(c.secretsKey.length, 32);
});

test('config: every problem is listed, and no value is echoed', () => {
  try {
    parseConfig({ DATABASE_URL: 'mysql://secret-password@x', API_PORT: 'abc', SECRETS_ENCRYPTION_KEY: 'short' });
    assert.fail('should have thrown');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const names = err.problems.map((p) => p.split(':')[0]);
    assert.deepEqual(names.sort(), ['API_PORT', 'DATABASE_URL', 'SECRETS_ENCRYPTION_KEY']);
    assert.ok(!err.message.includes('secret-password'));
  }
});

test('config: retry schedules are comma-separated milliseconds', () => {
  const c = parseConfig({
    DATABASE_URL: 'postgres://x@127.0.0.1/db',
    SECRETS_ENCRYPTION_KEY: key,
    WEBHOOK_RETRY_SCHEDULE_TEST_MS: '100,200,400',
  });
  assert.deepEqual(c.WEBHOOK_RETRY_SCHEDULE_TEST_MS, [100, 200, 400]);
  assert.throws(() =>
    parseConfig({
      DATABASE_URL: 'postgres://x@h/db',
      SECRETS_ENCRYPTION_KEY: key,
      WEBHOOK_RETRY_SCHEDULE_TEST_MS: '1,x',
    }),
  );
});

test('config: production needs an https PUBLIC_BASE_URL (the session cookie is Secure only then)', () => {
  const base = { DATABASE_URL: 'postgres://x@127.0.0.1/db', SECRETS_ENCRYPTION_KEY: key, WTH_ENV: 'production' };
  for (const url of [undefined, 'http://api.example.com']) {
    assert.throws(
      () => parseConfig({ ...base, PUBLIC_BASE_URL: url }),
      (err) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('PUBLIC_BASE_URL')),
    );
  }
  assert.equal(parseConfig({ ...base, PUBLIC_BASE_URL: 'https://api.example.com' }).WTH_ENV, 'production');
  assert.equal(parseConfig({ ...base, WTH_ENV: 'development' }).PUBLIC_BASE_URL, undefined);
});

test('config: the response preview is a byte count', () => {
  const c = parseConfig({
    DATABASE_URL: 'postgres://x@127.0.0.1/db',
    SECRETS_ENCRYPTION_KEY: key,
    WEBHOOK_RESPONSE_PREVIEW_BYTES: '512',
  });
  assert.equal(c.WEBHOOK_RESPONSE_PREVIEW_BYTES, 512);
});
