// Settles deliveries whose workflow ended without settling them: an operator terminated it
// (or it timed out, was cancelled or failed) in Temporal, so its log row would say `pending`
// forever. Walks pending rows a bounded batch at a time, asking Temporal about each.
import type { Client } from '@temporalio/client';
import type { Db } from '../../lib/db';
import { deliveryWorkflowClosure } from '../../lib/temporal/gateway';
import type { DeliveryRow } from './delivery-store';

export interface ReconcileDeps {
  db: Db;
  temporal: Client;
}

export interface ReconcilePass {
  checked: number;
  settled: number;
  /** Where the next pass continues (0: from the start again). */
  nextCursor: string;
}

const CLOSED_WITHOUT_RESULT: Record<string, string> = {
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed out',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
};

/** Checks up to `limit` pending deliveries after `cursor` (a seq); settles the stranded ones. */
export async function reconcilePendingDeliveries(
  deps: ReconcileDeps,
  opts: { cursor: string; limit: number },
): Promise<ReconcilePass> {
  const rows = await deps
    .db<DeliveryRow>('deliveries')
    .where({ status: 'pending' })
    .where('seq', '>', opts.cursor)
    .orderBy('seq')
    .limit(opts.limit)
    .select('id', 'seq', 'updated_at');
  let settled = 0;
  for (const row of rows) {
    const reason = await strandedReason(deps.temporal, row.id);
    if (!reason) continue;
    // Only if nothing touched the row meanwhile (a re-send starts a new run and marks it).
    const n = await deps
      .db('deliveries')
      .where({ id: row.id, status: 'pending', updated_at: row.updated_at })
      .update({ status: 'failed', next_attempt_at: null, status_reason: reason, updated_at: deps.db.fn.now(3) });
    settled += n;
  }
  const last = rows[rows.length - 1];
  return { checked: rows.length, settled, nextCursor: rows.length < opts.limit || !last ? '0' : String(last.seq) };
}

/** Why the delivery's latest workflow run ended without settling it, or null if it did not. */
async function strandedReason(temporal: Client, deliveryId: string): Promise<string | null> {
  const closure = await deliveryWorkflowClosure(temporal, deliveryId);
  if (!closure) return null;
  const detail = closure.reason ? `: ${closure.reason.slice(0, 200)}` : '';
  return `The delivery's workflow was ${CLOSED_WITHOUT_RESULT[closure.status]} in Temporal before it finished${detail}.`;
}
