// The API and the worker as separate OS processes, the way they run in production, so the
// drills can kill -9 them and the bench can read their CPU and memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ROOT } from '../../scripts/stack/boot';

export type AppKind = 'api' | 'worker' | 'bare-koa';

const ENTRY: Record<AppKind, string> = {
  api: path.join(ROOT, 'api', 'server.ts'),
  worker: path.join(ROOT, 'worker', 'main.ts'),
  'bare-koa': path.join(ROOT, 'bench', 'bare-koa.ts'),
};

export class AppProcess {
  child: ChildProcess | null = null;
  starts = 0;

  constructor(
    readonly name: string,
    readonly kind: AppKind,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    /** Where it listens: the API, bare Koa, or a worker's health and metrics server. */
    readonly port: number | null,
    private readonly temporalAddress: string,
    private readonly taskQueue: string,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns node itself (not the tsx CLI, which would add a wrapper process) and waits until ready. */
  async start(timeoutMs = 60_000): Promise<void> {
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['--import', 'tsx', ENTRY[this.kind]], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.starts++;
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isReady(child))) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${this.name} exited while starting; see ${this.logFile}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}`);
      }
      await sleep(200);
    }
  }

  private async isReady(child: ChildProcess): Promise<boolean> {
    if (this.kind !== 'worker') {
      try {
        const res = await fetch(`${this.url}/${this.kind === 'api' ? 'readyz' : 'healthz'}`);
        return res.ok;
      } catch {
        return false;
      }
    }
    // A worker is ready when Temporal sees its pollers; the SDK's identity is `<pid>@<host>`.
    const conn = await Connection.connect({ address: this.temporalAddress, connectTimeout: 2000 }).catch(() => null);
    if (!conn) return false;
    try {
      const { pollers } = await conn.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: this.taskQueue, kind: 1 },
        taskQueueType: 1,
      });
      return (pollers ?? []).some((p) => p.identity === `${child.pid}@${os.hostname()}`);
    } catch {
      return false;
    } finally {
      await conn.close();
    }
  }

  /** kill -9: no shutdown hooks, in-flight work is simply gone. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** A graceful stop (SIGTERM), with SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(sig);
    await exited;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
