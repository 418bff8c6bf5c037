import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { connectTemporal } from '../lib/temporal/gateway';
import { createEventStarter } from '../domain/events/outbox-relay';
import { EVENTS_QUEUED_CHANNEL } from '../domain/events/event-store';
import { listenOn } from '../lib/pg-listener';
import { createWorker } from './create-worker';
import { startDispatcher } from './dispatcher';
import { startHousekeeping } from './housekeeping';
import { startReconciler } from './reconciler';
import { startWorkerHttp } from './http-server';
import { createRegistry, deliveryMetrics, outboxBacklogGauge } from '../lib/metrics';
import { installRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker' });
  // SIGINT/SIGTERM make Worker.run() drain and resolve; nothing in flight is dropped.
  installRuntime(logger, { shutdownSignals: ['SIGINT', 'SIGTERM'], prometheusBind: config.TEMPORAL_METRICS_BIND });
  const db = createDb(config);
  const { client, connection: clientConnection } = await connectTemporal(config);
  const registry = createRegistry({ defaults: true });
  outboxBacklogGauge(registry, db);
  const metrics = deliveryMetrics(registry);
  const { worker, connection } = await createWorker({ config, db, logger, temporal: client, metrics });
  const http = await startWorkerHttp({
    worker,
    registry,
    logger,
    host: config.WORKER_HTTP_HOST,
    port: config.WORKER_HTTP_PORT,
  });
  logger.info({ url: http.url }, 'worker health and metrics listening');
  const starter = createEventStarter({ client, db, taskQueue: config.TEMPORAL_TASK_QUEUE, logger });
  const dispatcher = startDispatcher(
    { db, starter, logger },
    {
      intervalMs: config.DISPATCHER_INTERVAL_MS,
      graceMs: config.DISPATCHER_GRACE_MS,
      maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT_DELIVERIES || undefined,
    },
  );
  // An API process that leaves an event to the dispatcher says so; without this the event would
  // wait for the next pass (up to DISPATCHER_INTERVAL_MS), or after a lost connection.
  const queued = listenOn(
    config.DATABASE_URL,
    EVENTS_QUEUED_CHANNEL,
    { onNotify: () => dispatcher.wake(), onListening: () => undefined },
    logger,
  );
  const housekeeping = startHousekeeping({ db, logger }, { intervalMs: 60_000 });
  const reconciler = startReconciler(
    { db, temporal: client, logger },
    { intervalMs: config.RECONCILER_INTERVAL_MS, batchSize: config.RECONCILER_BATCH_SIZE },
  );
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  try {
    await worker.run();
  } finally {
    await Promise.all([dispatcher.stop(), housekeeping.stop(), reconciler.stop(), http.close(), queued.close()]);
    await Promise.allSettled([connection.close(), clientConnection.close(), db.destroy()]);
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
