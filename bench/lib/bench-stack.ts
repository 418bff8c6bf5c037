// A throwaway stack for a bench or drill run: Postgres + Temporal from scripts/stack/boot.ts
// (or the ones npm test already runs), a workflow bundle, and API/worker child processes that
// can be killed, restarted and multiplied.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { childEnv, decodeKey, loadStackEnv } from '../../lib/config';
import { createDb, type Db } from '../../lib/db';
import { bootStack, ROOT, type Stack, type TemporalKind } from '../../scripts/stack/boot';
import { freePort } from '../../scripts/stack/ports';
import { startLocalPostgres } from '../../scripts/stack/postgres';
import { startTemporalDevServer, type DevServer } from '../../scripts/stack/temporal';
import type { PostgresTemporal } from '../../scripts/stack/temporal-server';
import { workflowsPath } from '../../worker/create-worker';
import { AppProcess, type AppKind } from './app-process';

export interface BenchStackOptions {
  name: string;
  log: (msg: string) => void;
  /** Temporal state in a SQLite file, so the dev server can be restarted without losing it. */
  persistTemporal?: boolean;
  /** Extra environment for the API and worker processes (config knobs). */
  appEnv?: Record<string, string>;
  /** 'postgres': the real Temporal server on the stack's PostgreSQL instead of the dev server. */
  temporal?: TemporalKind;
}

export class BenchStack {
  readonly apis: AppProcess[] = [];
  readonly workers: AppProcess[] = [];
  private restartedTemporal: DevServer | null = null;
  readonly taskQueue = `wth-bench-${process.pid}-${Date.now().toString(36)}`;

  private constructor(
    readonly stack: Stack,
    readonly db: Db,
    readonly baseDir: string,
    private readonly bundlePath: string,
    private readonly opts: BenchStackOptions,
    /** True when Postgres and Temporal are ours to stop and restart (not npm test's). */
    readonly ownsServices: boolean,
  ) {}

  static async start(opts: BenchStackOptions): Promise<BenchStack> {
    const runId = `${opts.name}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
    const baseDir = path.join(ROOT, '.data', 'bench', runId);
    const env = loadStackEnv();
    const ownsServices = !env.DATABASE_URL && !env.TEMPORAL_ADDRESS;
    const stack = await bootStack({
      mode: 'test',
      baseDir,
      log: opts.log,
      persistTemporal: opts.persistTemporal,
      temporal: opts.temporal,
    });
    try {
      let bundlePath = env.WORKFLOW_BUNDLE_PATH;
      if (!bundlePath) {
        opts.log('bundling workflows');
        bundlePath = path.join(baseDir, 'workflow-bundle.js');
        const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietBundleLogger });
        fs.writeFileSync(bundlePath, code);
      }
      const db = createDb({ DATABASE_URL: stack.databaseUrl, DATABASE_POOL_MAX: 4 });
      return new BenchStack(stack, db, baseDir, bundlePath, opts, ownsServices);
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  get temporalAddress(): string {
    return this.stack.temporalAddress;
  }

  get secretsKey(): Buffer {
    return decodeKey(this.stack.secretsKey) as Buffer;
  }

  get temporalPid(): number | null {
    return (this.restartedTemporal ?? this.stack.temporal)?.process.pid ?? null;
  }

  get postgresPid(): number | null {
    const file = this.stack.postgres ? path.join(this.stack.postgres.dataDir, 'postmaster.pid') : null;
    if (!file || !fs.existsSync(file)) return null;
    return Number(fs.readFileSync(file, 'utf8').split('\n')[0]) || null;
  }

  private async spawnApp(kind: AppKind, index: number): Promise<AppProcess> {
    // A worker's port is its health and metrics server (the bench reads its attempt counters).
    const port = await freePort();
    const env = childEnv({
      WTH_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.stack.databaseUrl,
      TEMPORAL_ADDRESS: this.stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      WORKFLOW_BUNDLE_PATH: this.bundlePath,
      SECRETS_ENCRYPTION_KEY: this.stack.secretsKey,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      // The bench measures the pipeline, not the per-key rate limit.
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      ...(kind === 'worker' ? { WORKER_HTTP_PORT: String(port) } : { API_PORT: String(port) }),
      ...this.opts.appEnv,
    });
    const name = `${kind}${index}`;
    const p = new AppProcess(
      name,
      kind,
      env,
      path.join(this.baseDir, `${name}.log`),
      port,
      this.stack.temporalAddress,
      this.taskQueue,
    );
    await p.start();
    return p;
  }

  async addApi(): Promise<AppProcess> {
    const p = await this.spawnApp('api', this.apis.length);
    this.apis.push(p);
    return p;
  }

  async addWorker(): Promise<AppProcess> {
    const p = await this.spawnApp('worker', this.workers.length);
    this.workers.push(p);
    return p;
  }

  async startBareKoa(): Promise<AppProcess> {
    return this.spawnApp('bare-koa', 0);
  }

  /** Stops Postgres (fast shutdown: sessions are cut) and starts it again on the same port. */
  async restartPostgres(downMs: number): Promise<void> {
    const pg = this.stack.postgres;
    if (!pg) throw new Error('Postgres belongs to someone else here; cannot restart it');
    await pg.stop();
    await new Promise((r) => setTimeout(r, downMs));
    const port = Number(new URL(this.stack.databaseUrl).port);
    await startLocalPostgres({ baseDir: path.dirname(pg.dataDir), port, ephemeral: true });
  }

  /** Stops the Temporal dev server and starts it again on the same port and SQLite file. */
  async restartTemporal(downMs: number): Promise<void> {
    const current = this.restartedTemporal ?? this.stack.temporal;
    if (current && this.stack.temporalKind === 'postgres') {
      // The real server keeps its state in PostgreSQL: stop it and start the same config again.
      await current.stop();
      await new Promise((r) => setTimeout(r, downMs));
      this.restartedTemporal = await (current as PostgresTemporal).restart();
      return;
    }
    if (!current || !this.stack.temporalCli || !this.opts.persistTemporal)
      throw new Error('Temporal restart needs a dev server of our own with a database file');
    await current.stop();
    await new Promise((r) => setTimeout(r, downMs));
    this.restartedTemporal = await startTemporalDevServer({
      cli: this.stack.temporalCli,
      port: Number(this.stack.temporalAddress.split(':').pop()),
      dbFile: path.join(this.baseDir, 'temporal.sqlite'),
      logFile: path.join(this.baseDir, 'temporal.log'),
    });
  }

  async stop(opts: { keepData?: boolean } = {}): Promise<void> {
    await Promise.allSettled([...this.apis, ...this.workers].map((p) => p.stop(5_000)));
    await this.db.destroy().catch(() => undefined);
    await this.restartedTemporal?.stop().catch(() => undefined);
    await this.stack.stop();
    if (!opts.keepData) fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}

const quietBundleLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => process.stderr.write(`[bundle] ${m}\n`),
};
