import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createApp } from './app';
import { buildAppDeps } from './build-deps';
import { closeListenerStreams } from './listener-stream';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  const { deps, close } = await buildAppDeps(config, logger);
  const app = createApp(deps);

  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    logger.info({ host: config.API_HOST, port: config.API_PORT }, 'api listening');
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api shutting down');
    // Stop accepting, let in-flight requests finish (their post-commit starts included); the
    // `wth listen` streams never finish by themselves: end them, their CLIs reconnect elsewhere.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    closeListenerStreams(app);
    await closed;
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
