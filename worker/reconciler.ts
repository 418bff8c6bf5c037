import type { Logger } from '../lib/logger';
import { reconcilePendingDeliveries, type ReconcileDeps } from '../domain/webhooks/delivery-reconciler';

/**
 * Periodically settles deliveries whose workflow was terminated or timed out by hand. Each pass
 * checks a bounded batch and continues where the last one stopped, so every pending delivery
 * is looked at in turn without a burst of Temporal calls.
 */
export function startReconciler(
  deps: ReconcileDeps & { logger: Logger },
  opts: { intervalMs: number; batchSize: number },
): { stop(): Promise<void> } {
  let cursor = '0';
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const pass = await reconcilePendingDeliveries(deps, { cursor, limit: opts.batchSize });
      cursor = pass.nextCursor;
      if (pass.settled > 0)
        deps.logger.warn({ settled: pass.settled }, 'settled deliveries whose workflow was closed by hand');
    } catch (err) {
      deps.logger.warn({ err }, 'reconciler pass failed; will retry');
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, opts.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
