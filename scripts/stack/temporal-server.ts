// The real Temporal server on PostgreSQL (the production shape docker-compose.yml describes),
// built from Go modules at pinned versions into .tools/ on first use, for `npm run cluster` and
// `npm run bench|drill -- --temporal postgres`. Schema, namespace and search attributes come from
// the same scripts compose runs (deploy/temporal/*.sh), the server reads the same dynamic config.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Connection } from '@temporalio/client';
import { freePort, isPortFree } from './ports';
import type { DevServer } from './temporal';

/** Pinned: the newest 1.31 patch the Go module proxy serves that builds with this machine's Go. */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.31.2';
export const TEMPORAL_UI_MODULE = 'github.com/temporalio/ui-server/v2';
/** The version docker-compose.yml's temporalio/ui image runs. */
export const TEMPORAL_UI_VERSION = 'v2.49.1';
export const NUM_HISTORY_SHARDS = 4;
/** Compose's Temporal role (deploy/postgres/init-temporal-role.sh creates it). */
const DB_USER = 'temporal';
const DB_PASSWORD = 'temporal';

export function deployDir(root: string): string {
  return path.join(root, 'deploy', 'temporal');
}

/** `go install` into .tools/<name>-<version>/bin once; returns the binary (Go names both `server`). */
function goInstall(root: string, name: string, pkgs: string[], version: string, log: (m: string) => void): string {
  const dir = path.join(root, '.tools', `${name}-${version}`);
  const bin = path.join(dir, 'bin');
  const first = path.join(bin, path.basename(pkgs[0] as string));
  if (fs.existsSync(first)) return bin;
  const go = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
  if (!go) throw new Error(`Go is needed to build ${name} ${version} (or run with the dev server)`);
  log(`building ${name} ${version} with go install into .tools/ (several minutes, once) ...`);
  const tmp = `${dir}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync(go, ['install', ...pkgs.map((p) => `${p}@${version}`)], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: path.join(tmp, 'bin'), GOTOOLCHAIN: 'local' },
  });
  if (r.status !== 0) throw new Error(`go install of ${name} ${version} failed`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return bin;
}

export function ensureTemporalServer(root: string, log: (m: string) => void): { bin: string; schemaDir: string } {
  const bin = goInstall(
    root,
    'temporal',
    [`${TEMPORAL_SERVER_MODULE}/cmd/server`, `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql`],
    TEMPORAL_SERVER_VERSION,
    log,
  );
  // compose's admin-tools image calls the schema tool temporal-sql-tool.
  const alias = path.join(bin, 'temporal-sql-tool');
  if (!fs.existsSync(alias)) fs.symlinkSync('sql', alias);
  const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const schemaDir = path.join(
    modcache,
    `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`,
    'schema',
    'postgresql',
    'v12',
  );
  if (!fs.existsSync(schemaDir)) {
    execFileSync('go', ['mod', 'download', `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], {
      stdio: 'ignore',
    });
  }
  return { bin, schemaDir };
}

/** The UI server is optional: null when it cannot be built here. */
export function ensureTemporalUi(root: string, log: (m: string) => void): string | null {
  try {
    return path.join(
      goInstall(root, 'temporal-ui', [`${TEMPORAL_UI_MODULE}/cmd/server`], TEMPORAL_UI_VERSION, log),
      'server',
    );
  } catch (err) {
    log(`Temporal UI unavailable: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/** Fills `${NAME}` placeholders; an unknown one is an error, not an empty string. */
export function renderTemplate(text: string, values: Record<string, string | number>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (_, k: string) => {
    if (!(k in values)) throw new Error(`no value for \${${k}} in the Temporal server config template`);
    return String(values[k]);
  });
}

/** Temporal's role and databases with their schemas, via compose's setup script. */
export async function setupTemporalDatabases(opts: {
  root: string;
  pgPort: number;
  bin: string;
  schemaDir: string;
  logFile: string;
}): Promise<void> {
  const admin = new pg.Client({ connectionString: `postgres://wth@127.0.0.1:${opts.pgPort}/postgres` });
  await admin.connect();
  let roleExists: boolean;
  try {
    roleExists = (await admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'temporal'")).rowCount !== 0;
  } finally {
    await admin.end();
  }
  if (!roleExists) {
    // The very script compose's Postgres image runs on first start, with the env it gets there.
    const init = spawnSync('sh', [path.join(opts.root, 'deploy', 'postgres', 'init-temporal-role.sh')], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PGHOST: '127.0.0.1',
        PGPORT: String(opts.pgPort),
        POSTGRES_USER: 'wth',
        POSTGRES_DB: 'postgres',
        TEMPORAL_DB_PASSWORD: DB_PASSWORD,
      },
    });
    if (init.status !== 0) throw new Error(`init-temporal-role.sh failed: ${init.stderr}`);
  }
  const r = spawnSync('sh', [path.join(deployDir(opts.root), 'setup-postgres.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${opts.bin}:${process.env.PATH ?? ''}`,
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(opts.pgPort),
      POSTGRES_USER: DB_USER,
      SQL_PASSWORD: DB_PASSWORD,
      SCHEMA_DIR: opts.schemaDir,
    },
  });
  fs.appendFileSync(opts.logFile, `${r.stdout}${r.stderr}`);
  if (r.status !== 0) throw new Error(`Temporal schema setup failed; see ${opts.logFile}`);
}

export interface PostgresTemporal extends DevServer {
  /** Starts the same server again (same ports, same databases) after stop(). */
  restart(): Promise<PostgresTemporal>;
}

export async function startPostgresTemporal(opts: {
  root: string;
  baseDir: string;
  pgPort: number;
  port?: number;
  uiPort?: number;
  /** The temporal CLI, for deploy/temporal/create-namespace.sh. */
  cli: string;
  log: (m: string) => void;
}): Promise<PostgresTemporal> {
  const { bin, schemaDir } = ensureTemporalServer(opts.root, opts.log);
  const ui = opts.uiPort ? ensureTemporalUi(opts.root, opts.log) : null;
  fs.mkdirSync(opts.baseDir, { recursive: true });
  const logFile = path.join(opts.baseDir, 'temporal.log');
  await setupTemporalDatabases({ root: opts.root, pgPort: opts.pgPort, bin, schemaDir, logFile });

  const port = opts.port ?? (await freePort());
  const values: Record<string, string | number> = {
    NUM_HISTORY_SHARDS,
    DB_HOST: '127.0.0.1',
    DB_PORT: opts.pgPort,
    DB_USER,
    DB_PASSWORD,
    FRONTEND_GRPC_PORT: port,
    DYNAMIC_CONFIG_FILE: path.join(deployDir(opts.root), 'dynamicconfig', 'production-sql.yaml'),
  };
  const used = new Set<number>();
  for (const k of [
    'FRONTEND_HTTP',
    'FRONTEND_MEMBERSHIP',
    'MATCHING_GRPC',
    'MATCHING_MEMBERSHIP',
    'HISTORY_GRPC',
    'HISTORY_MEMBERSHIP',
    'WORKER_GRPC',
    'WORKER_MEMBERSHIP',
  ]) {
    // Temporal stores membership ports in a smallint column: stay below the ephemeral range.
    values[`${k}_PORT`] = k.endsWith('MEMBERSHIP') ? await freeLowPort(used) : await freePort();
    used.add(values[`${k}_PORT`] as number);
  }
  const configDir = path.join(opts.baseDir, 'temporal-config');
  fs.mkdirSync(configDir, { recursive: true });
  const template = fs.readFileSync(path.join(deployDir(opts.root), 'server', 'local-postgres.yaml'), 'utf8');
  fs.writeFileSync(path.join(configDir, 'local-postgres.yaml'), renderTemplate(template, values));
  const address = `127.0.0.1:${port}`;

  const launch = async (): Promise<PostgresTemporal> => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(
      path.join(bin, 'server'),
      ['--root', opts.baseDir, '--config', 'temporal-config', '--env', 'local-postgres', '--allow-no-auth', 'start'],
      { stdio: ['ignore', out, out], cwd: opts.baseDir },
    );
    const uiChild = ui && opts.uiPort ? startUi(ui, opts.baseDir, address, opts.uiPort, out) : null;
    let exited = false;
    child.on('exit', () => (exited = true));
    const stopAll = async () => {
      uiChild?.kill('SIGTERM');
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    };
    try {
      await waitReady(address, () => exited, logFile, 'system');
      const ns = spawnSync('sh', [path.join(deployDir(opts.root), 'create-namespace.sh')], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${path.dirname(opts.cli)}:${process.env.PATH ?? ''}`,
          TEMPORAL_ADDRESS: address,
          NAMESPACE: 'default',
        },
      });
      fs.appendFileSync(logFile, `${ns.stdout}${ns.stderr}`);
      if (ns.status !== 0) throw new Error(`create-namespace.sh failed; see ${logFile}`);
      // The frontend's namespace cache refreshes every ~10 s.
      await waitReady(address, () => exited, logFile, 'namespace');
    } catch (err) {
      await stopAll();
      throw err;
    }
    return {
      address,
      uiUrl: uiChild ? `http://127.0.0.1:${opts.uiPort}` : null,
      process: child,
      stop: stopAll,
      restart: launch,
    };
  };
  opts.log(`starting Temporal ${TEMPORAL_SERVER_VERSION} on PostgreSQL at ${address} (${NUM_HISTORY_SHARDS} shards)`);
  return launch();
}

async function freeLowPort(used: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!used.has(port) && (await isPortFree(port))) return port;
  }
  throw new Error('no free port below 32000 for Temporal membership');
}

function startUi(bin: string, baseDir: string, address: string, port: number, out: number): ChildProcess {
  const dir = path.join(baseDir, 'ui-config');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'local.yaml'),
    [
      `temporalGrpcAddress: ${address}`,
      'host: 127.0.0.1',
      `port: ${port}`,
      'enableUi: true',
      'defaultNamespace: default',
      'cors:',
      '  allowOrigins: []',
      '',
    ].join('\n'),
  );
  return spawn(bin, ['--root', baseDir, '--config', 'ui-config', '--env', 'local', 'start'], {
    stdio: ['ignore', out, out],
  });
}

async function waitReady(
  address: string,
  exited: () => boolean,
  logFile: string,
  what: 'system' | 'namespace',
): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited()) throw new Error(`Temporal server exited at start; see ${logFile}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await conn.workflowService.getSystemInfo({});
        // Namespace-scoped calls go through the frontend's namespace cache, unlike describe.
        if (what === 'namespace')
          await conn.workflowService.listWorkflowExecutions({ namespace: 'default', pageSize: 1 });
      } finally {
        await conn.close();
      }
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal not ready after 180 s (${String(err)}); see ${logFile}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
