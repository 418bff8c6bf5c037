// `npm start`: the whole local stack in one command. Data lives in .data/dev and survives
// restarts; DATABASE_URL / TEMPORAL_ADDRESS point it at existing services instead.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEV_POSTGRES_PORT, childEnv, loadStackEnv } from '../lib/config';
import { createDb } from '../lib/db';
import { seedDemoDealer } from '../domain/accounts/demo-dealer';
import { bootStack, ROOT } from './stack/boot';
import { ensureWebBundle } from './web/build';
import { superviseChildren, waitForOk } from './stack/processes';

const log = (msg: string) => process.stdout.write(`[start] ${msg}\n`);

async function main(): Promise<void> {
  const env = loadStackEnv();
  const baseDir = path.join(ROOT, '.data', 'dev');
  const apiPort = env.API_PORT ?? 3000;
  await ensureWebBundle(log);
  const stack = await bootStack({
    mode: 'dev',
    baseDir,
    pgPort: DEV_POSTGRES_PORT,
    temporalPort: 7233,
    temporalUiPort: env.TEMPORAL_UI_PORT,
    log,
  });

  const db = createDb({ DATABASE_URL: stack.databaseUrl, DATABASE_POOL_MAX: 2 });
  const demo = await seedDemoDealer(db, path.join(baseDir, 'demo-credentials.json'));
  await db.destroy();

  const appEnv = childEnv({
    WTH_ENV: 'development',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    SECRETS_ENCRYPTION_KEY: stack.secretsKey,
    API_PORT: String(apiPort),
    // The local stack delivers to receivers on this machine.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'true',
  });
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const children: ChildProcess[] = [
    spawn(tsx, [path.join(ROOT, 'api', 'server.ts')], { env: appEnv, stdio: 'inherit' }),
    spawn(tsx, [path.join(ROOT, 'worker', 'main.ts')], { env: appEnv, stdio: 'inherit' }),
  ];

  superviseChildren(children, () => stack.stop(), log);

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitForOk(`${apiUrl}/readyz`, 60_000);
  process.stdout.write(
    [
      '',
      '  WatchTraderHub Custom Integration is running',
      `  Dashboard        ${apiUrl}/   (log in as ${demo.email} / ${demo.password})`,
      `  API              ${apiUrl}/api/v1   (OpenAPI: ${apiUrl}/api/v1/openapi.json)`,
      `  Temporal UI      ${stack.temporalUiUrl ?? `(external Temporal at ${stack.temporalAddress})`}`,
      `  Demo dealer      ${demo.email} / ${demo.password}`,
      `  Test API key     ${demo.testKey}`,
      `  Live API key     ${demo.liveKey}   (works once the integration is switched to live)`,
      '',
      `  Try: curl -H "Authorization: Bearer ${demo.testKey}" ${apiUrl}/api/v1/me`,
      `  Webhooks locally: WTH_API_KEY=${demo.testKey}${apiPort === 3000 ? '' : ` WTH_API_URL=${apiUrl}`} bin/wth listen --forward-to http://127.0.0.1:4000/hook`,
      '                    then, in another terminal with the same key: bin/wth trigger listing.published',
      '  Ctrl-C stops everything; data stays in .data/dev for the next start.',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`[start] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
