import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { connectTemporal } from '../lib/temporal/gateway';
import { createEventStarter } from '../domain/events/outbox-relay';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  const db = createDb(config);
  const { client, connection } = await connectTemporal(config);
  const eventStarter = createEventStarter({
    client,
    db,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    maxDetached: config.API_DETACHED_EVENT_STARTS,
  });
  const app = createApp({ config, db, logger, temporal: client, eventStarter });

  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    logger.info({ host: config.API_HOST, port: config.API_PORT }, 'api listening');
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api shutting down');
    // Stop accepting, let in-flight requests finish (their post-commit starts included).
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await eventStarter.drain();
    await Promise.allSettled([db.destroy(), connection.close()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
