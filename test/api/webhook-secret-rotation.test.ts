// rotateSecret against the real database: what validSecrets (read at send time) returns
// before, during and after a grace period.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import {
  insertEndpoint,
  MAX_ROTATION_GRACE_MS,
  MAX_VALID_SECRETS,
  rotateSecret,
  validSecrets,
  type SecretRow,
} from '../../domain/webhooks/endpoint-store';
import type { CreatedDealer } from '../../domain/accounts/dealers';

let api: TestApi;
let dealer: CreatedDealer;

before(async () => {
  api = await startTestApi();
  dealer = await createTestDealer(api.deps.db);
});
after(async () => api.close());

const newEndpoint = () =>
  insertEndpoint(api.deps.db, api.deps.config.secretsKey, {
    dealerId: dealer.dealer.id,
    integrationId: dealer.integration.id,
    livemode: false,
    url: 'https://hooks.example.com/wth',
  });

test('rotation: the new secret is active at once and the old one stays valid for the grace period', async () => {
  const { db, config } = api.deps;
  const { endpoint, secret: first } = await newEndpoint();
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id), [first]);

  const { secret: second, previousExpireAt } = await rotateSecret(db, config.secretsKey, endpoint.id, 3_600_000);
  assert.match(second, /^whsec_[0-9A-Za-z]{32}$/);
  assert.notEqual(second, first);
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id), [second, first], 'newest first');
  // Just after the grace period ends, only the new one.
  const afterGrace = new Date(previousExpireAt.getTime() + 1);
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id, afterGrace), [second]);
});

test('rotation: grace 0 retires every older secret now; a later rotation never extends an expiry', async () => {
  const { db, config } = api.deps;
  const { endpoint, secret: first } = await newEndpoint();
  const { secret: second, previousExpireAt } = await rotateSecret(db, config.secretsKey, endpoint.id, 60_000);
  const { secret: third } = await rotateSecret(db, config.secretsKey, endpoint.id, MAX_ROTATION_GRACE_MS);
  const rows = await db<SecretRow>('webhook_endpoint_secrets')
    .where({ endpoint_id: endpoint.id })
    .orderBy('created_at');
  assert.equal(rows[0]?.expires_at?.getTime(), previousExpireAt.getTime(), 'the first secret keeps its shorter expiry');
  assert.ok((rows[1]?.expires_at?.getTime() ?? 0) > previousExpireAt.getTime(), 'the second got the long grace');
  assert.equal(rows[2]?.expires_at, null, 'the newest never expires');
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id), [third, second, first]);

  const { secret: fourth } = await rotateSecret(db, config.secretsKey, endpoint.id, 0);
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id), [fourth]);
});

test('rotation: at most MAX_VALID_SECRETS stay valid, and expired secrets are deleted', async () => {
  const { db, config } = api.deps;
  const { endpoint, secret: first } = await newEndpoint();
  const issued = [first];
  for (let i = 0; i < MAX_VALID_SECRETS + 2; i += 1) {
    issued.unshift((await rotateSecret(db, config.secretsKey, endpoint.id, MAX_ROTATION_GRACE_MS)).secret);
  }
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id), issued.slice(0, MAX_VALID_SECRETS));
  const count = async () =>
    Number((await db('webhook_endpoint_secrets').where({ endpoint_id: endpoint.id }).count({ n: '*' }))[0]?.n);
  assert.equal(await count(), MAX_VALID_SECRETS);
  await rotateSecret(db, config.secretsKey, endpoint.id, 0);
  assert.equal(await count(), 1);
});

test('rotation: out-of-range grace and unknown endpoints are refused without changing anything', async () => {
  const { db, config } = api.deps;
  const { endpoint, secret } = await newEndpoint();
  for (const bad of [-1, MAX_ROTATION_GRACE_MS + 1, 1.5]) {
    await assert.rejects(rotateSecret(db, config.secretsKey, endpoint.id, bad), /grace period/);
  }
  await assert.rejects(rotateSecret(db, config.secretsKey, 'we_doesnotexist', 0), /No such webhook_endpoint/);
  assert.deepEqual(await validSecrets(db, config.secretsKey, endpoint.id), [secret]);
});

test('rotation: secrets are stored sealed, never as plaintext', async () => {
  const { db, config } = api.deps;
  const { endpoint } = await newEndpoint();
  const { secret } = await rotateSecret(db, config.secretsKey, endpoint.id, 0);
  const rows = await db<SecretRow>('webhook_endpoint_secrets').where({ endpoint_id: endpoint.id });
  for (const r of rows) {
    assert.equal(r.ciphertext.includes(Buffer.from(secret)), false);
    assert.equal(r.ciphertext.includes(Buffer.from(secret.slice(6))), false);
  }
});
