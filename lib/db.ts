import knex, { type Knex } from 'knex';
import fs from 'node:fs/promises';
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

/**
 * Migrations run from the sources (tsx, `.ts`) or compiled (dist/, `.js`), whichever this
 * module is. Each is recorded under its source name (`….ts`) either way, so a database migrated
 * by one is current for the other and knex never sees a "missing" file.
 */
const ownExtension = path.extname(__filename);
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    const files = await fs.readdir(migrationsDirectory);
    return files.filter((f) => f.endsWith(ownExtension) && !f.endsWith('.d.ts')).sort();
  },
  getMigrationName: (file) => `${path.basename(file, ownExtension)}.ts`,
  getMigration: (file) => import(path.join(migrationsDirectory, file)) as Promise<Knex.Migration>,
};

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
