import type { Config } from '../lib/config';
import { createDb } from '../lib/db';
import type { Logger } from '../lib/logger';
import { connectTemporal } from '../lib/temporal/gateway';
import { admissionGateFor } from '../domain/events/admission';
import { createEventStarter } from '../domain/events/outbox-relay';
import { KeyIdentityCache } from '../domain/accounts/key-identity-cache';
import { LeasedRateLimiter } from '../domain/platform/rate-limits';
import { listenForAuthChanges } from './auth-invalidation';
import type { AppDeps } from './deps';

/** An API process's connections and per-process state, built the same way by the server and tests. */
export async function buildAppDeps(config: Config, logger: Logger): Promise<{ deps: AppDeps; close(): Promise<void> }> {
  const db = createDb(config);
  const { client, connection } = await connectTemporal(config);
  const eventStarter = createEventStarter({
    client,
    db,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    maxDetached: config.API_DETACHED_EVENT_STARTS,
    admission: admissionGateFor(config, db, logger),
  });
  const keyCache = new KeyIdentityCache();
  const authChanges = listenForAuthChanges(config, keyCache, logger);
  const deps: AppDeps = {
    config,
    db,
    logger,
    temporal: client,
    eventStarter,
    keyCache,
    rateLimiter: new LeasedRateLimiter(db),
  };
  return {
    deps,
    /** After the server stopped taking requests: lets post-commit workflow starts finish first. */
    async close() {
      await eventStarter.drain();
      await Promise.allSettled([authChanges.close(), db.destroy(), connection.close()]);
    },
  };
}
