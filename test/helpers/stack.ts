// What a test file needs from the running test stack (started by scripts/test.ts): config,
// a database pool, a Temporal client, an in-process API on a free port, and a real worker.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../lib/config';
import { createDb, type Db } from '../../lib/db';
import { createLogger, type Logger } from '../../lib/logger';
import { connectTemporal } from '../../lib/temporal/gateway';
import { createDealer, type CreatedDealer } from '../../domain/accounts/dealers';
import { createSession, SESSION_COOKIE } from '../../domain/accounts/dashboard-sessions';
import type { AppDeps } from '../../api/deps';
import { createApp, type AppOptions } from '../../api/app';
import { buildAppDeps } from '../../api/build-deps';
import { createWorker } from '../../worker/create-worker';
import type { ActivityDeps } from '../../activities';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(overrides);
}

export interface TestApi {
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function startTestApi(
  overrides: Record<string, string> = {},
  options: AppOptions = {},
  extra: { logger?: Logger } = {},
): Promise<TestApi> {
  const config = testConfig(overrides);
  const logger = extra.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'api-test' });
  const { deps, close } = await buildAppDeps(config, logger);
  const server: Server = createApp(deps, options).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await close();
    },
  };
}

export interface TestWorker {
  worker: Worker;
  db: Db;
  logger: Logger;
  stop(): Promise<void>;
}

export async function startTestWorker(
  overrides: Record<string, string> = {},
  extra: Pick<ActivityDeps, 'resolve' | 'metrics'> = {},
): Promise<TestWorker> {
  const config = testConfig(overrides);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker-test' });
  const db = createDb(config);
  const temporal = await connectTemporal(config);
  const { worker, connection } = await createWorker({ config, db, logger, temporal: temporal.client, ...extra });
  const running = worker.run();
  return {
    worker,
    db,
    logger,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await Promise.allSettled([connection.close(), temporal.connection.close(), db.destroy()]);
    },
  };
}

/** A fresh dealer per test keeps tests independent while they share one database. */
export async function createTestDealer(db: Db, name = 'Test Dealer'): Promise<CreatedDealer> {
  const tag = randomBytes(6).toString('hex');
  return createDealer(db, { name: `${name} ${tag}`, email: `dealer-${tag}@example.test`, password: `pw-${tag}-long` });
}

/** A logged-in dashboard session without going through the login route: cookie + CSRF header. */
export async function dashboardSessionHeaders(db: Db, dealerId: string): Promise<Record<string, string>> {
  const s = await createSession(db, dealerId);
  return { cookie: `${SESSION_COOKIE}=${s.token}`, 'x-csrf-token': s.csrfToken };
}
