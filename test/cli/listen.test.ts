// `wth listen` and `wth trigger` as a developer runs them: real `bin/wth` processes against a
// real API, worker, Temporal and Postgres, forwarding to a real local server on 127.0.0.1 that
// verifies every signature with the secret the CLI printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { client, waitUntil } from '../helpers/http';
import { startReceiver, type Receiver, type Reply } from '../helpers/receiver';
import { createTestDealer, startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { verifySignature } from '@watchtraderhub/webhooks';

const WTH = path.resolve(__dirname, '..', '..', 'bin', 'wth');
const ATTEMPT_TIMEOUT_MS = 3_000;
// Long waits between automatic attempts: a delivery that arrives within seconds after the local
// server comes back was woken by the listener, not by the schedule.
const overrides = {
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: '60000,60000,60000',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  LISTENER_HEARTBEAT_MS: '500',
};

let api: TestApi;
let worker: TestWorker;
before(async () => {
  api = await startTestApi(overrides);
  worker = await startTestWorker(overrides);
});
// Every CLI this file starts: a test that fails mid-way must not leave a listener streaming,
// or closing the API would wait on its connection and the suite would hang.
const started = new Set<ChildProcessWithoutNullStreams>();

after(async () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await worker.stop();
  await api.close();
});

interface Cli {
  proc: ChildProcessWithoutNullStreams;
  lines: any[];
  stderr: () => string;
  exited: Promise<number>;
  waitFor(pred: (l: any) => boolean, what: string, timeoutMs?: number): Promise<any>;
}

function wthEnv(key: string): NodeJS.ProcessEnv {
  return { ...process.env, WTH_API_KEY: key, WTH_API_URL: api.url };
}

/** `bin/wth listen --format json`, its stdout parsed line by line; no TTY anywhere. */
function startListen(key: string, args: string[]): Cli {
  const proc = spawn(WTH, ['listen', '--format', 'json', ...args], { env: wthEnv(key) });
  started.add(proc);
  const lines: any[] = [];
  let err = '';
  let buf = '';
  proc.stdout.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  proc.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number>((resolve) => proc.on('exit', (code) => resolve(code ?? 1)));
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitFor: (pred, what, timeoutMs = 30_000) =>
      waitUntil(async () => lines.find(pred), {
        what: `${what}; stdout: ${JSON.stringify(lines)}; stderr: ${err}`,
        timeoutMs,
      }),
  };
}

function wth(key: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(WTH, args, { env: wthEnv(key) }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function stop(cli: Cli): Promise<number> {
  if (cli.proc.exitCode === null) cli.proc.kill('SIGTERM');
  return cli.exited;
}

const name = () => `t-${randomBytes(4).toString('hex')}`;

async function listening(key: string, receiver: Receiver, extra: string[] = []) {
  const cli = startListen(key, ['--forward-to', receiver.url, '--name', name(), ...extra]);
  const registered = await cli.waitFor((l) => l.type === 'registered', 'registered');
  await cli.waitFor((l) => l.type === 'ready', 'ready');
  receiver.secrets = [registered.secret];
  return { cli, listenerId: registered.listener_id as string, secret: registered.secret as string };
}

async function deliveryOf(key: string, eventId: string, endpointId: string) {
  const c = client(api.url, key);
  const list = await c.get(`/api/v1/deliveries?event_id=${eventId}&endpoint_id=${endpointId}`);
  const d = list.body.data[0];
  return d ? (await c.get(`/api/v1/deliveries/${d.id}`)).body : undefined;
}

test('listen + trigger listing.published: the local server gets the exact signed bytes, and the delivery log shows its answer', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const key = dealer.keys.test.key;
  const receiver = await startReceiver();
  const { cli, listenerId, secret } = await listening(key, receiver);
  try {
    assert.match(secret, /^whsec_/);
    // The listener is an endpoint like any other, marked as such.
    const ep = await client(api.url, key).get(`/api/v1/webhook_endpoints/${listenerId}`);
    assert.equal(ep.body.kind, 'listener');
    assert.equal(ep.body.url, null);
    assert.equal(ep.body.listener.connected, true);

    const fired = await wth(key, ['trigger', 'listing.published', '--format', 'json']);
    assert.equal(fired.code, 0, fired.stderr);
    const out = JSON.parse(fired.stdout);
    const eventId = out.event.id as string;
    assert.equal(out.event.type, 'listing.published');
    const shown = out.deliveries.find((d: any) => d.endpoint_id === listenerId);
    assert.ok(shown, `trigger names the listener among the deliveries: ${fired.stdout}`);

    const got = await waitUntil(async () => receiver.requests.find((r) => r.body?.id === eventId), {
      what: 'local POST',
    });
    // Verified with the printed secret, by the receiver's own code and by the library.
    assert.deepEqual(got.verifiedBy, [secret]);
    // The receiver package accepts it with the printed secret and hands back the typed event.
    const verified = verifySignature(got.rawBody, String(got.headers['wth-signature']), secret);
    assert.equal(verified.type, 'listing.published');
    assert.equal(verified.id, eventId);
    // Signed at hand-over, so well inside the 5-minute window.
    assert.ok(Math.abs(Date.now() / 1000 - got.timestamp) < 30);
    // The bytes are the event exactly as the API serves it, not re-serialised on the way.
    const event = await client(api.url, key).get(`/api/v1/events/${eventId}`);
    assert.equal(got.rawBody, JSON.stringify(event.body));
    assert.equal(got.headers['wth-event-type'], 'listing.published');
    assert.equal(got.headers['content-type'], 'application/json');

    const line = await cli.waitFor((l) => l.type === 'delivery' && l.event_id === eventId, 'delivery line');
    assert.equal(line.status_code, 200);
    assert.equal(line.event_type, 'listing.published');
    assert.equal(typeof line.duration_ms, 'number');

    const d = await waitUntil(
      async () => {
        const x = await deliveryOf(key, eventId, listenerId);
        return x?.status === 'succeeded' ? x : undefined;
      },
      { what: 'succeeded delivery' },
    );
    assert.equal(d.attempts.length, 1);
    assert.equal(d.attempts[0].status_code, 200);
    assert.equal(d.attempts[0].response_body_preview, 'ok');
    assert.equal(d.attempts[0].signature_header, got.headers['wth-signature']);
  } finally {
    assert.equal(await stop(cli), 0);
    await receiver.close();
  }
  // Exiting marks the listener not connected.
  const after = await client(api.url, key).get(`/api/v1/webhook_endpoints/${listenerId}`);
  assert.equal(after.body.listener.connected, false);
});

test('local server stopped, trigger, started again: the event arrives by itself, and the log shows both attempts', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const key = dealer.keys.test.key;
  const first = await startReceiver();
  const port = Number(new URL(first.url).port);
  const { cli, listenerId, secret } = await listening(key, first);
  await first.close();
  let second: Receiver | undefined;
  try {
    const fired = await wth(key, ['trigger', 'listing.published', '--format', 'json', '--wait', '0']);
    assert.equal(fired.code, 0, fired.stderr);
    const eventId = JSON.parse(fired.stdout).event.id as string;
    const refused = await cli.waitFor((l) => l.type === 'delivery' && l.event_id === eventId, 'failed forward');
    assert.equal(refused.status_code, null);
    assert.match(refused.error, /connection refused/);
    await waitUntil(async () => (await deliveryOf(key, eventId, listenerId))?.attempts.length === 1, {
      what: 'first attempt recorded',
    });

    second = await startReceiver({ port, secrets: [secret] });
    const started = Date.now();
    const got = await waitUntil(async () => second!.requests.find((r) => r.body?.id === eventId), {
      what: 'event after the local server came back',
    });
    // Far sooner than the 60 s backoff: the listener woke the delivery.
    assert.ok(Date.now() - started < 20_000);
    assert.deepEqual(got.verifiedBy, [secret]);
    const d = await waitUntil(
      async () => {
        const x = await deliveryOf(key, eventId, listenerId);
        return x?.status === 'succeeded' ? x : undefined;
      },
      { what: 'succeeded delivery' },
    );
    assert.equal(d.attempts.length, 2);
    assert.equal(d.attempts[0].status_code, null);
    assert.match(d.attempts[0].error, /local server: connection refused/);
    assert.equal(d.attempts[1].status_code, 200);
  } finally {
    await stop(cli);
    await second?.close();
  }
});

test('a listener that drops mid-hand-over gets the unacknowledged event handed out again when it reconnects', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const key = dealer.keys.test.key;
  let calls = 0;
  // The first POST never answers: the CLI is killed while it waits, so nothing acknowledges it.
  const receiver = await startReceiver({
    reply: (): Reply => (++calls === 1 ? { hang: true, status: 0 } : { status: 200 }),
  });
  const listenerName = name();
  const one = startListen(key, ['--forward-to', receiver.url, '--name', listenerName]);
  const registered = await one.waitFor((l) => l.type === 'registered', 'registered');
  await one.waitFor((l) => l.type === 'ready', 'ready');
  receiver.secrets = [registered.secret];
  const listenerId = registered.listener_id as string;
  let two: Cli | undefined;
  try {
    const fired = await wth(key, ['trigger', 'listing.published', '--format', 'json', '--wait', '0']);
    const eventId = JSON.parse(fired.stdout).event.id as string;
    await waitUntil(async () => receiver.requests.length === 1, { what: 'first hand-over reached the local server' });
    one.proc.kill('SIGKILL');
    await one.exited;

    two = startListen(key, ['--forward-to', receiver.url, '--name', listenerName]);
    await two.waitFor((l) => l.type === 'ready', 'second process ready');
    const line = await two.waitFor((l) => l.type === 'delivery' && l.event_id === eventId, 'handed out again');
    assert.equal(line.status_code, 200);
    assert.equal(line.attempt, 1, 'the same attempt, handed out again, not a retry');
    assert.equal(receiver.requests.length, 2);
    assert.equal(receiver.requests[1]!.headers['wth-delivery-id'], receiver.requests[0]!.headers['wth-delivery-id']);
    assert.deepEqual(receiver.requests[1]!.verifiedBy, [registered.secret]);
    const d = await waitUntil(
      async () => {
        const x = await deliveryOf(key, eventId, listenerId);
        return x?.status === 'succeeded' ? x : undefined;
      },
      { what: 'succeeded delivery' },
    );
    assert.equal(d.attempts.length, 1);
    const handoff = await api.deps.db('listener_handoffs').where({ delivery_id: d.id }).first();
    assert.equal(handoff.handed_count, 2);
  } finally {
    if (two) await stop(two);
    await receiver.close();
  }
});

test('a local server answering 500 or hanging: the attempt records it, the delivery stays pending for a retry', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const key = dealer.keys.test.key;
  let mode: 'fail' | 'hang' = 'fail';
  const receiver = await startReceiver({
    reply: (): Reply =>
      mode === 'fail' ? { status: 500, body: 'boom: undefined is not a function' } : { hang: true, status: 0 },
  });
  const { cli, listenerId } = await listening(key, receiver);
  try {
    const a = JSON.parse((await wth(key, ['trigger', 'order.received', '--format', 'json', '--wait', '0'])).stdout);
    const failed = await waitUntil(
      async () => {
        const x = await deliveryOf(key, a.event.id, listenerId);
        return x?.attempts.length === 1 ? x : undefined;
      },
      { what: '500 recorded' },
    );
    assert.equal(failed.status, 'pending');
    assert.equal(failed.attempts[0].status_code, 500);
    assert.equal(failed.attempts[0].response_body_preview, 'boom: undefined is not a function');
    assert.ok(failed.next_attempt_at);

    mode = 'hang';
    const b = JSON.parse(
      (await wth(key, ['trigger', 'integration.test_event', '--format', 'json', '--wait', '0'])).stdout,
    );
    const hung = await waitUntil(
      async () => {
        const x = await deliveryOf(key, b.event.id, listenerId);
        return x?.attempts.length === 1 ? x : undefined;
      },
      { what: 'timeout recorded', timeoutMs: 40_000 },
    );
    assert.equal(hung.status, 'pending');
    assert.equal(hung.attempts[0].status_code, null);
    assert.match(hung.attempts[0].error, /local server: timed out after \d+ ms/);
  } finally {
    await stop(cli);
    await receiver.close();
  }
});

test('bad input: missing, invalid and revoked keys, a non-http --forward-to, a live key: clear messages, no stack', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const receiver = await startReceiver();
  try {
    const noKey = await wth('', ['listen', '--forward-to', receiver.url]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /WTH_API_KEY/);

    const badUrl = await wth(dealer.keys.test.key, ['listen', '--forward-to', 'ftp://127.0.0.1/hook']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--forward-to must be an http:\/\/ or https:\/\/ URL/);

    const invalid = await wth(`wth_${'x'.repeat(32)}`, ['listen', '--forward-to', receiver.url]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /401 invalid_api_key/);

    await api.deps.db('api_keys').where({ id: dealer.keys.test.row.id }).update({ revoked_at: new Date() });
    const revoked = await wth(dealer.keys.test.key, ['trigger', 'listing.published']);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, /401 invalid_api_key/);

    const live = await wth(dealer.keys.live.key, ['listen', '--forward-to', receiver.url]);
    assert.equal(live.code, 1);
    assert.match(live.stderr, /403 livemode_disabled|live API key/);
    await api.deps.db('integrations').where({ id: dealer.integration.id }).update({ live_enabled: true });
    const liveNoFlag = await wth(dealer.keys.live.key, ['listen', '--forward-to', receiver.url]);
    assert.equal(liveNoFlag.code, 1);
    assert.match(liveNoFlag.stderr, /pass --live/);
    const liveTrigger = await wth(dealer.keys.live.key, ['trigger', 'listing.published']);
    assert.equal(liveTrigger.code, 1);
    assert.match(liveTrigger.stderr, /422 test_mode_only/);

    const unknownType = await wth(dealer.keys.live.key, ['trigger', 'listing.exploded']);
    assert.equal(unknownType.code, 1);
    assert.match(unknownType.stderr, /400 .*type/);
    for (const r of [noKey, badUrl, invalid, revoked, live, liveNoFlag, liveTrigger, unknownType]) {
      assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
    }
  } finally {
    await receiver.close();
  }
});

test('two listeners with one name: the second is refused with a clear message; deleting the listener stops the first', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const key = dealer.keys.test.key;
  const receiver = await startReceiver();
  const listenerName = name();
  const first = startListen(key, ['--forward-to', receiver.url, '--name', listenerName]);
  const registered = await first.waitFor((l) => l.type === 'registered', 'registered');
  await first.waitFor((l) => l.type === 'ready', 'ready');
  try {
    const second = startListen(key, ['--forward-to', receiver.url, '--name', listenerName]);
    assert.equal(await second.exited, 1);
    const err = second.lines.find((l) => l.type === 'error');
    assert.match(err.message, /409 listener_already_connected/);
    assert.match(err.message, /different --name/);
    // Same listener, same secret for every run with that name.
    const again = await wth(key, ['listen', '--forward-to', receiver.url, '--name', listenerName, '--print-secret']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `${registered.secret}\n`);

    const del = await client(api.url, key).delete(`/api/v1/webhook_endpoints/${registered.listener_id}`);
    assert.equal(del.status, 200);
    assert.equal(await first.exited, 1);
    const gone = first.lines.find((l) => l.type === 'error');
    assert.match(gone.message, /was deleted/);
  } finally {
    await stop(first);
    await receiver.close();
  }
});

test('events resend and deliveries retry reach a listener; Ctrl-C exits 0', async () => {
  const dealer = await createTestDealer(api.deps.db);
  const key = dealer.keys.test.key;
  const receiver = await startReceiver();
  // The event happens before anyone listens: it has no delivery to the listener yet.
  const before = JSON.parse(
    (await wth(key, ['trigger', 'customer.matched', '--format', 'json', '--wait', '0'])).stdout,
  );
  assert.equal(before.event.type, 'customer.matched');
  const { cli, listenerId } = await listening(key, receiver);
  try {
    const resent = await wth(key, ['events', 'resend', before.event.id, '--endpoint', listenerId, '--format', 'json']);
    assert.equal(resent.code, 0, resent.stderr);
    const dlv = JSON.parse(resent.stdout).deliveries[0];
    assert.equal(dlv.endpoint_id, listenerId);
    await waitUntil(async () => receiver.requests.find((r) => r.body?.id === before.event.id), {
      what: 'resent event',
    });
    await waitUntil(async () => (await deliveryOf(key, before.event.id, listenerId))?.status === 'succeeded', {
      what: 'resent delivery succeeded',
    });

    // A succeeded delivery is not retried; the API says why.
    const refused = await wth(key, ['deliveries', 'retry', dlv.id]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /422 delivery_already_succeeded/);
    await api.deps.db('deliveries').where({ id: dlv.id }).update({ status: 'failed' });
    const retried = await wth(key, ['deliveries', 'retry', dlv.id]);
    assert.equal(retried.code, 0, retried.stderr);
    await waitUntil(async () => receiver.requests.filter((r) => r.body?.id === before.event.id).length === 2, {
      what: 'retried delivery reached the listener',
    });

    const missing = await wth(key, ['events', 'resend', 'evt_doesnotexist']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404/);
  } finally {
    cli.proc.kill('SIGINT');
    assert.equal(await cli.exited, 0);
    assert.ok(cli.lines.some((l) => l.type === 'stopped'));
    await receiver.close();
  }
});
