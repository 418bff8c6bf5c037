import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveryPolicy, jittered, parseRetryAfter, retryDelayMs } from '../../lib/delivery-policy';
import { parseConfig } from '../../lib/config';

test('policy: live and test modes get their own schedules', () => {
  const config = parseConfig({
    DATABASE_URL: 'postgres://x@127.0.0.1/db',
    SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    WEBHOOK_RETRY_SCHEDULE_LIVE_MS: '1000,2000,3000',
    WEBHOOK_RETRY_SCHEDULE_TEST_MS: '10',
  });
  assert.deepEqual(deliveryPolicy(config, true).retryScheduleMs, [1000, 2000, 3000]);
  assert.deepEqual(deliveryPolicy(config, false).retryScheduleMs, [10]);
  assert.equal(deliveryPolicy(config, false).attemptTimeoutMs, 10_000);
  assert.equal(deliveryPolicy(config, false).localAttempts, true, 'attempts are local activities by default');
});

test('policy: attempts can go back to normal activities (for deliveries started from then on)', () => {
  const config = parseConfig({
    DATABASE_URL: 'postgres://x@127.0.0.1/db',
    SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    WEBHOOK_ATTEMPTS_AS_LOCAL_ACTIVITIES: 'false',
  });
  assert.equal(deliveryPolicy(config, true).localAttempts, false);
});

test('jitter: base × (1 ± jitter), centred on the base, never negative', () => {
  assert.equal(jittered(1000, 0.2, 0), 800);
  assert.equal(jittered(1000, 0.2, 0.5), 1000);
  assert.equal(jittered(1000, 0.2, 0.999999), 1200);
  assert.equal(jittered(1000, 0, 0.9), 1000);
  assert.equal(jittered(1000, 1, 0), 0);
});

test('Retry-After: the longer of backoff and Retry-After, Retry-After capped', () => {
  assert.equal(retryDelayMs(5000, null, 60_000), 5000);
  assert.equal(retryDelayMs(5000, 2000, 60_000), 5000);
  assert.equal(retryDelayMs(5000, 30_000, 60_000), 30_000);
  assert.equal(retryDelayMs(5000, 3_600_000, 60_000), 60_000);
  assert.equal(retryDelayMs(90_000, 3_600_000, 60_000), 90_000);
});

test('Retry-After parses seconds and HTTP dates; garbage is ignored', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Mon, 23 Nov 2026 10:01:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
  assert.equal(parseRetryAfter('-5', now), null);
});
