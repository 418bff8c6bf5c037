import fs from 'node:fs';
import type { Db } from '../../lib/db';
import { createApiKey } from './api-keys';
import { createDealer, findDealerByEmail } from './dealers';

export const DEMO_EMAIL = 'demo@watchtraderhub.test';
export const DEMO_PASSWORD = 'demo-password';

export interface DemoCredentials {
  dealerId: string;
  integrationId: string;
  email: string;
  password: string;
  testKey: string;
  liveKey: string;
}

/**
 * Idempotent: the demo dealer is created once. Keys are stored only as hashes, so for the
 * local stack the shown-once keys are kept in a file under .data/ (never in production).
 */
export async function seedDemoDealer(db: Db, credentialsFile: string): Promise<DemoCredentials> {
  const existing = await findDealerByEmail(db, DEMO_EMAIL);
  if (existing && fs.existsSync(credentialsFile)) {
    const creds = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as DemoCredentials;
    if (creds.dealerId === existing.id) return creds;
  }
  let creds: DemoCredentials;
  if (existing) {
    // Same database, lost file (e.g. a shared DATABASE_URL): mint fresh keys for the demo.
    const integration = await db('integrations')
      .where({ dealer_id: existing.id, kind: 'custom' })
      .orderBy('created_at')
      .first();
    const test = await createApiKey(db, { integrationId: integration.id, livemode: false, name: 'Demo test key' });
    const live = await createApiKey(db, { integrationId: integration.id, livemode: true, name: 'Demo live key' });
    creds = {
      dealerId: existing.id,
      integrationId: integration.id,
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      testKey: test.key,
      liveKey: live.key,
    };
  } else {
    const created = await createDealer(db, { name: 'Demo Watches Ltd', email: DEMO_EMAIL, password: DEMO_PASSWORD });
    creds = {
      dealerId: created.dealer.id,
      integrationId: created.integration.id,
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      testKey: created.keys.test.key,
      liveKey: created.keys.live.key,
    };
  }
  fs.writeFileSync(credentialsFile, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}
