import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../bench/lib/ledger';
import { closeReceivers, Receiver, startReceivers } from '../../bench/lib/receivers';
import { sign } from '../../bench/lib/signature';

const receivers: Receiver[] = [];
after(() => closeReceivers(receivers));

async function post(r: Receiver, body: string, signature?: string, signal?: AbortSignal) {
  const t = Math.floor(Date.now() / 1000);
  const header = signature ?? `t=${t},v1=${sign(r.secrets[0] as string, t, body)}`;
  return fetch(r.url, { method: 'POST', body, headers: { 'wth-signature': header }, signal });
}

test('receivers verify signatures and record arrivals per endpoint in the ledger', async () => {
  const ledger = new Ledger();
  const [a, b] = await startReceivers(ledger, 2);
  receivers.push(a as Receiver, b as Receiver);
  Object.assign(a as Receiver, { endpointId: 'we_a', secrets: ['whsec_a'] });
  Object.assign(b as Receiver, { endpointId: 'we_b', secrets: ['whsec_b'] });
  assert.notEqual(a?.url, b?.url, 'each endpoint is its own origin');
  ledger.expect('evt_1', ['we_a', 'we_b'], Date.now());

  assert.equal((await post(a as Receiver, '{"id":"evt_1"}')).status, 200);
  assert.equal((await post(b as Receiver, '{"id":"evt_1"}', 't=1,v1=' + '0'.repeat(64))).status, 400);
  let report = ledger.report();
  assert.equal(report.delivered, 1);
  assert.equal(report.badSignatures, 1);

  assert.equal((await post(b as Receiver, '{"id":"evt_1"}')).status, 200);
  report = ledger.report();
  assert.equal(report.delivered, 2);
  assert.equal(report.lost.length, 0);
});

test('receivers can be told to fail or to hang, and record nothing then', async () => {
  const ledger = new Ledger();
  const [r] = await startReceivers(ledger, 1);
  const receiver = r as Receiver;
  receivers.push(receiver);
  Object.assign(receiver, { endpointId: 'we_c', secrets: ['whsec_c'] });
  receiver.mode = 'fail';
  assert.equal((await post(receiver, '{"id":"evt_9"}')).status, 500);
  receiver.mode = 'hang';
  await assert.rejects(post(receiver, '{"id":"evt_9"}', undefined, AbortSignal.timeout(300)));
  assert.equal(ledger.report().delivered, 0);
  assert.equal(receiver.requests, 2);
});
