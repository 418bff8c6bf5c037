import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../lib/logger';

let installed = false;

/** Routes the SDK's own logs through pino (once per process; the SDK allows one install). */
export function installRuntime(
  logger: Logger,
  opts: { shutdownSignals?: NodeJS.Signals[]; prometheusBind?: string } = {},
): void {
  if (installed) return;
  installed = true;
  const level = (
    ['trace', 'debug', 'info', 'warn', 'error'].includes(logger.level) ? logger.level : 'error'
  ).toUpperCase() as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method =
        entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[method]({ sdk: entry.meta }, entry.message);
    }),
    shutdownSignals: opts.shutdownSignals ?? [],
    // The SDK core's own metrics (task schedule-to-start and execution latencies, slots, polls).
    ...(opts.prometheusBind
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: opts.prometheusBind } } } }
      : {}),
  });
}
