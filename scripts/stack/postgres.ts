// A project-local PostgreSQL cluster for npm start / npm test, started from the machine's
// PostgreSQL binaries. initdb and postgres refuse to run as root, so as root the cluster
// belongs to the unprivileged `postgres` (or `nobody`) user and is driven through setpriv.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface LocalPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('PostgreSQL binaries not found: install PostgreSQL 15 or set DATABASE_URL');
  }
}

function unprivilegedUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) {
      const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim();
      return { uid: Number(r.stdout.trim()), gid: Number(gid) };
    }
  }
  throw new Error('running as root, and no unprivileged user (postgres/nobody) to run PostgreSQL as');
}

function spawnAs(bin: string, args: string[], user: { uid: number; gid: number } | null) {
  const [cmd, argv] = user
    ? ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', bin, ...args]]
    : [bin, args];
  return spawnSync(cmd, argv, { encoding: 'utf8', cwd: '/' });
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | null): void {
  const r = spawnAs(bin, args, user);
  if (r.status !== 0) {
    throw new Error(`${path.basename(bin)} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  }
}

function chownTree(dir: string, user: { uid: number; gid: number }): void {
  fs.chownSync(dir, user.uid, user.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, user);
    else fs.chownSync(p, user.uid, user.gid);
  }
}

export async function startLocalPostgres(opts: {
  baseDir: string;
  port: number;
  /** Durability off: for throwaway test clusters only. */
  ephemeral?: boolean;
}): Promise<LocalPostgres> {
  const bin = findBinDir();
  const user = unprivilegedUser();
  const baseDir = path.resolve(opts.baseDir);
  const dataDir = path.join(baseDir, 'data');
  const logFile = path.join(baseDir, 'postgres.log');
  fs.mkdirSync(baseDir, { recursive: true, mode: 0o755 });
  // Parents must be traversable by the cluster's owner.
  for (let d = path.dirname(baseDir); d !== '/'; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0 && user) fs.chmodSync(d, mode | 0o001);
  }
  if (user) chownTree(baseDir, user);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    run(
      path.join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'wth',
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
        ...(opts.ephemeral ? ['--no-sync'] : []),
      ],
      user,
    );
  }

  const settings = [
    `-p ${opts.port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=200',
    ...(opts.ephemeral ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
  ].join(' ');
  const status = spawnAs(path.join(bin, 'pg_ctl'), ['status', '-D', dataDir], user);
  if (status.status !== 0) {
    run(path.join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', settings], user);
  }

  const url = `postgres://wth@127.0.0.1:${opts.port}/wth`;
  const admin = new pg.Client({ connectionString: `postgres://wth@127.0.0.1:${opts.port}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'wth'");
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE wth');
  } finally {
    await admin.end();
  }

  return {
    url,
    dataDir,
    async stop() {
      run(path.join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], user);
    },
  };
}
