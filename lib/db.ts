import knex, { type Knex } from 'knex';
import path from 'node:path';
import type { Config } from './config';

export type Db = Knex;
export type Tx = Knex.Transaction;
/** Data-access functions take either the pool or an open transaction. */
export type Queryable = Knex | Knex.Transaction;

export function createDb(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>): Db {
  return knex({
    client: 'pg',
    connection: config.DATABASE_URL,
    pool: { min: 0, max: config.DATABASE_POOL_MAX },
    acquireConnectionTimeout: 10_000,
  });
}

export const migrationsDirectory = path.resolve(__dirname, '..', 'migrations');

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({
    directory: migrationsDirectory,
    loadExtensions: ['.ts'],
  })) as [number, string[]];
  return applied;
}
