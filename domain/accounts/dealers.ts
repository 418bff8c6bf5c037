import type { Db } from '../../lib/db';
import { createApiKey, type ApiKeyRow } from './api-keys';
import { hashPassword } from './passwords';

export interface DealerRow {
  id: string;
  name: string;
  email: string | null;
  password_hash: string | null;
  created_at: Date;
}

export interface IntegrationRow {
  id: string;
  dealer_id: string;
  kind: 'custom' | 'shopify' | 'ebay' | 'dashboard';
  name: string;
  live_enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface CreatedDealer {
  dealer: DealerRow;
  integration: IntegrationRow;
  keys: { test: { key: string; row: ApiKeyRow }; live: { key: string; row: ApiKeyRow } };
}

/**
 * A new dealer with one Custom Integration (in test mode) and one test and one live key. The
 * other channels exist as integrations too, so events can name them as their origin.
 */
export async function createDealer(
  db: Db,
  input: { name: string; email?: string | null; password?: string | null; integrationName?: string },
): Promise<CreatedDealer> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (trx) => {
    const [dealer] = await trx<DealerRow>('dealers')
      .insert({ name: input.name, email: input.email ?? null, password_hash: passwordHash })
      .returning('*');
    const d = dealer as DealerRow;
    const [integration] = await trx<IntegrationRow>('integrations')
      .insert({ dealer_id: d.id, kind: 'custom', name: input.integrationName ?? 'Custom Integration' })
      .returning('*');
    await trx('integrations').insert(
      (['dashboard', 'shopify', 'ebay'] as const).map((kind) => ({
        dealer_id: d.id,
        kind,
        name: kind === 'dashboard' ? 'Dashboard' : kind === 'shopify' ? 'Shopify' : 'eBay',
      })),
    );
    const i = integration as IntegrationRow;
    const test = await createApiKey(trx, { integrationId: i.id, livemode: false, name: 'Default test key' });
    const live = await createApiKey(trx, { integrationId: i.id, livemode: true, name: 'Default live key' });
    return { dealer: d, integration: i, keys: { test, live } };
  });
}

export async function findDealerByEmail(db: Db, email: string): Promise<DealerRow | undefined> {
  return db<DealerRow>('dealers').whereRaw('lower(email) = lower(?)', [email]).first();
}

export async function findDealer(db: Db, id: string): Promise<DealerRow | undefined> {
  return db<DealerRow>('dealers').where({ id }).first();
}
