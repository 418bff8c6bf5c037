import type { Logger } from '../lib/logger';
import { reconcilePendingDeliveries, type ReconcileDeps } from '../domain/webhooks/delivery-reconciler';
import { every } from './periodic';

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
  return every(
    opts.intervalMs,
    async () => {
      const pass = await reconcilePendingDeliveries(deps, { cursor, limit: opts.batchSize });
      cursor = pass.nextCursor;
      if (pass.settled > 0) {
        deps.logger.warn({ settled: pass.settled }, 'settled deliveries whose workflow was closed by hand');
      }
    },
    { logger: deps.logger, what: 'reconciler' },
  );
}
