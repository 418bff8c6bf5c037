// Temporal work per delivered event, read from DescribeWorkflowExecution: history events and
// state transitions of the event workflow plus its delivery workflows. Unlike rates, these
// counts do not depend on how busy the machine is, so a change to the workflows shows exactly.
import type { Client } from '@temporalio/client';
import { deliveryWorkflowId, eventWorkflowId } from '../../lib/temporal/contract';
import { connectTemporal } from '../../lib/temporal/gateway';
import type { PhaseCtx } from './delivery-phases';
import { publish, type Tenant } from './tenants';

export interface CostResult {
  events: number;
  deliveries: number;
  endpointsPerEvent: number;
  /** Per delivered event (event workflow + all its delivery workflows), averaged. */
  historyEventsPerEvent: number;
  transitionsPerEvent: number;
  /** The same, divided by the deliveries: what one delivery costs, its event's share included. */
  historyEventsPerDelivery: number;
  transitionsPerDelivery: number;
  /** The parts: one event workflow, one (successful, first-attempt) delivery workflow. */
  eventWorkflow: { historyEvents: number; transitions: number };
  deliveryWorkflow: { historyEvents: number; transitions: number };
}

async function describe(client: Client, workflowId: string): Promise<{ historyEvents: number; transitions: number }> {
  const handle = client.workflow.getHandle(workflowId);
  await handle.result();
  const info = (await handle.describe()).raw.workflowExecutionInfo;
  return { historyEvents: Number(info?.historyLength ?? 0), transitions: Number(info?.stateTransitionCount ?? 0) };
}

/** Publishes `events` pings one after another, waits for every workflow to close, and counts. */
export async function measureCost(
  ctx: PhaseCtx,
  tenant: Tenant,
  opts: { temporalAddress: string; events: number; timeoutMs: number },
): Promise<CostResult> {
  const eventIds: string[] = [];
  for (let i = 0; i < opts.events; i++) eventIds.push(await publish(ctx.apiUrl(), tenant, ctx.ledger, ctx.db));
  return countWork(ctx, tenant, eventIds, opts);
}

/**
 * The same count for events already published (the overload phase samples its own, to show
 * whether an event costs more Temporal work when the server is saturated).
 */
export async function countWork(
  ctx: PhaseCtx,
  tenant: Tenant,
  eventIds: string[],
  opts: { temporalAddress: string; timeoutMs: number },
): Promise<CostResult> {
  const { client, connection } = await connectTemporal({
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
  });
  try {
    const deadline = Date.now() + opts.timeoutMs;
    const all = async (ids: string[]) => {
      const out = [];
      // One at a time: a handful of workflows, and nothing left in flight if one fails.
      for (const id of ids) {
        if (Date.now() > deadline) throw new Error(`cost: workflows did not close within ${opts.timeoutMs} ms`);
        out.push(await describe(client, id));
      }
      return out;
    };
    const ev = await all(eventIds.map(eventWorkflowId));
    // Planned by the event workflows, so read only once they have closed.
    const rows = (await ctx.db('deliveries').whereIn('event_id', eventIds).select('id')) as { id: string }[];
    const dl = await all(rows.map((r) => deliveryWorkflowId(r.id)));
    const sum = (xs: { historyEvents: number; transitions: number }[], k: 'historyEvents' | 'transitions') =>
      xs.reduce((n, x) => n + x[k], 0);
    const r1 = (n: number) => Math.round(n * 10) / 10;
    const history = sum(ev, 'historyEvents') + sum(dl, 'historyEvents');
    const transitions = sum(ev, 'transitions') + sum(dl, 'transitions');
    return {
      events: ev.length,
      deliveries: dl.length,
      endpointsPerEvent: tenant.endpointIds.length,
      historyEventsPerEvent: r1(history / ev.length),
      transitionsPerEvent: r1(transitions / ev.length),
      historyEventsPerDelivery: r1(history / Math.max(1, dl.length)),
      transitionsPerDelivery: r1(transitions / Math.max(1, dl.length)),
      eventWorkflow: {
        historyEvents: r1(sum(ev, 'historyEvents') / ev.length),
        transitions: r1(sum(ev, 'transitions') / ev.length),
      },
      deliveryWorkflow: {
        historyEvents: r1(sum(dl, 'historyEvents') / Math.max(1, dl.length)),
        transitions: r1(sum(dl, 'transitions') / Math.max(1, dl.length)),
      },
    };
  } finally {
    await connection.close();
  }
}
