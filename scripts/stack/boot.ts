// Brings up what the app needs, for npm start (persistent, fixed ports) and npm test
// (throwaway, free ports): Postgres and Temporal unless given, migrations, search attributes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { createDb, migrateLatest } from '../../lib/db';
import { loadStackEnv } from '../../lib/config';
import { ensureSearchAttributes } from '../../lib/temporal/gateway';
import { startLocalPostgres, type LocalPostgres } from './postgres';
import { ensureTemporalCli, startTemporalDevServer, type DevServer } from './temporal';
import { startPostgresTemporal, type PostgresTemporal } from './temporal-server';
import { freePort, isPortFree } from './ports';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Stack {
  baseDir: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  temporalCli: string | null;
  secretsKey: string;
  postgres: LocalPostgres | null;
  temporal: DevServer | null;
  /** Which Temporal we started: the SQLite dev server or the real server on our PostgreSQL. */
  temporalKind: TemporalKind;
  stop(): Promise<void>;
}

export type TemporalKind = 'dev' | 'postgres';

export function temporalKind(s: string): TemporalKind {
  if (s === 'dev' || s === 'postgres') return s;
  throw new Error(`--temporal must be dev or postgres, not ${s}`);
}

export async function bootStack(opts: {
  mode: 'dev' | 'test';
  baseDir: string;
  pgPort?: number;
  temporalPort?: number;
  temporalUiPort?: number;
  /** Keep Temporal's state in a SQLite file even for a throwaway stack (restart drills). */
  persistTemporal?: boolean;
  /** 'postgres': the real Temporal server (built from Go modules) on the stack's PostgreSQL. */
  temporal?: TemporalKind;
  log: (msg: string) => void;
}): Promise<Stack> {
  const env = loadStackEnv();
  const ephemeral = opts.mode === 'test';
  fs.mkdirSync(opts.baseDir, { recursive: true });
  let postgres: LocalPostgres | null = null;
  let temporal: DevServer | PostgresTemporal | null = null;
  const temporalKind = opts.temporal ?? 'dev';
  const stop = async () => {
    await temporal?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
  };

  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const port = opts.pgPort ?? (await freePort());
      opts.log(`starting PostgreSQL on 127.0.0.1:${port} (data in ${path.relative(ROOT, opts.baseDir)}/pg)`);
      postgres = await startLocalPostgres({ baseDir: path.join(opts.baseDir, 'pg'), port, ephemeral });
      databaseUrl = postgres.url;
    }

    let temporalAddress = env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | null = null;
    let temporalCli: string | null = null;
    if (!temporalAddress && temporalKind === 'postgres') {
      if (!postgres)
        throw new Error("the Postgres-backed Temporal needs the stack's own PostgreSQL (unset DATABASE_URL)");
      temporalCli = ensureTemporalCli(ROOT, env.TEMPORAL_CLI);
      temporal = await startPostgresTemporal({
        root: ROOT,
        baseDir: opts.baseDir,
        pgPort: Number(new URL(postgres.url).port),
        port: opts.temporalPort,
        uiPort: opts.mode === 'dev' ? opts.temporalUiPort : undefined,
        cli: temporalCli,
        log: opts.log,
      });
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    } else if (!temporalAddress) {
      temporalCli = ensureTemporalCli(ROOT, env.TEMPORAL_CLI);
      const port = opts.temporalPort ?? (await freePort());
      if (!(await isPortFree(port))) throw new Error(`port ${port} is taken: is another npm start running?`);
      const uiPort = opts.mode === 'dev' ? (opts.temporalUiPort ?? port + 1000) : undefined;
      opts.log(`starting Temporal dev server on 127.0.0.1:${port}${uiPort ? ` (UI :${uiPort})` : ''}`);
      temporal = await startTemporalDevServer({
        cli: temporalCli,
        port,
        uiPort,
        dbFile: ephemeral && !opts.persistTemporal ? undefined : path.join(opts.baseDir, 'temporal.sqlite'),
        logFile: path.join(opts.baseDir, 'temporal.log'),
      });
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }

    const connection = await Connection.connect({ address: temporalAddress });
    await ensureSearchAttributes(connection, 'default');
    await connection.close();

    const db = createDb({ DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 2 });
    try {
      const applied = await migrateLatest(db);
      if (applied.length) opts.log(`applied ${applied.length} migration(s)`);
    } finally {
      await db.destroy();
    }

    return {
      baseDir: opts.baseDir,
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      temporalCli,
      secretsKey: env.SECRETS_ENCRYPTION_KEY ?? persistentKey(opts.baseDir, ephemeral),
      postgres,
      temporal,
      temporalKind,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function persistentKey(baseDir: string, ephemeral: boolean): string {
  if (ephemeral) return randomBytes(32).toString('base64');
  const file = path.join(baseDir, 'secrets-encryption.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}
