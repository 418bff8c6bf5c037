// `npm run cluster`: docker-compose.yml's topology as local processes: PostgreSQL (app data and
// Temporal's two databases), the real Temporal server on it (built from Go modules, pinned, into
// .tools/ on first use), Temporal UI, two API and two worker replicas. Data lives in .data/cluster.
//   npm run cluster                     API on 3000 and 3001, Temporal 7233, UI 8080 (as compose)
//   npm run cluster -- --free-ports     any free ports (several clusters side by side)
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { childEnv } from '../../lib/config';
import { createDb } from '../../lib/db';
import { seedDemoDealer } from '../../domain/accounts/demo-dealer';
import { bootStack, ROOT } from './boot';
import { superviseChildren, waitForOk } from './processes';
import { ensureWebBundle } from '../web/build';
import { freePort } from './ports';

const log = (msg: string) => process.stdout.write(`[cluster] ${msg}\n`);
const int = (s: string) => Number.parseInt(s, 10);

const program = new Command('cluster')
  .description('PostgreSQL + Temporal on PostgreSQL + UI + 2 API + 2 workers, as docker-compose.yml')
  .option('--free-ports', 'pick free ports instead of the compose ones')
  .option('--replicas <n>', 'API and worker processes each', int, 2)
  .option('--data <dir>', 'data directory', path.join(ROOT, '.data', 'cluster'));
program.parse();
const o = program.opts();

async function main(): Promise<void> {
  const free = Boolean(o.freePorts);
  const baseDir = path.resolve(o.data as string);
  const replicas = o.replicas as number;
  // The API replicas serve the dashboard too.
  await ensureWebBundle(log);
  const stack = await bootStack({
    mode: 'dev',
    temporal: 'postgres',
    baseDir,
    pgPort: free ? await freePort() : 54339,
    temporalPort: free ? await freePort() : 7233,
    temporalUiPort: free ? await freePort() : 8080,
    log,
  });

  const db = createDb({ DATABASE_URL: stack.databaseUrl, DATABASE_POOL_MAX: 2 });
  const demo = await seedDemoDealer(db, path.join(baseDir, 'demo-credentials.json'));
  await db.destroy();

  const apiPorts: number[] = [];
  for (let i = 0; i < replicas; i++) apiPorts.push(free ? await freePort() : 3000 + i);
  const env = (extra: Record<string, string>) =>
    childEnv({
      // As compose, except that the local cluster delivers to receivers on this machine.
      WTH_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'wth-webhooks',
      SECRETS_ENCRYPTION_KEY: stack.secretsKey,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      ...extra,
    });
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const children: ChildProcess[] = [
    ...apiPorts.map((port) =>
      spawn(tsx, [path.join(ROOT, 'api', 'server.ts')], { env: env({ API_PORT: String(port) }), stdio: 'inherit' }),
    ),
    ...Array.from({ length: replicas }, () =>
      spawn(tsx, [path.join(ROOT, 'worker', 'main.ts')], { env: env({}), stdio: 'inherit' }),
    ),
  ];

  superviseChildren(children, () => stack.stop(), log);

  for (const port of apiPorts) await waitForOk(`http://127.0.0.1:${port}/readyz`, 120_000);
  process.stdout.write(
    [
      '',
      '  WatchTraderHub Custom Integration: production topology (local processes)',
      `  API replicas     ${apiPorts.map((p) => `http://127.0.0.1:${p}/api/v1`).join('  ')}`,
      `  Temporal         ${stack.temporalAddress} (real server on PostgreSQL ${stack.databaseUrl.replace(/\/wth$/, '')})`,
      `  Temporal UI      ${stack.temporalUiUrl ?? '(not built)'}`,
      `  Workers          ${replicas}`,
      `  Demo dealer      ${demo.email} / ${demo.password}`,
      `  Test API key     ${demo.testKey}`,
      `  Data             ${path.relative(ROOT, baseDir)} (Ctrl-C stops everything; data stays)`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`[cluster] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
