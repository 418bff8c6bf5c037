// Overload: offered 1.5x and 2x the sustained maximum for a while, does the pipeline keep
// delivering at its maximum, and then drain the backlog at that rate, oldest first?
import type { CostResult } from './cost';
import { load, waitDrained, type PhaseCtx } from './delivery-phases';
import { round } from './stats';
import type { Tenant } from './tenants';

export interface OverloadRun {
  factor: number;
  eventsPerSecondOffered: number;
  seconds: number;
  deliveriesOffered: number;
  /** Deliveries received while the load was on, per second, and as a fraction of the maximum. */
  deliveredPerSecondDuring: number;
  duringFraction: number | null;
  /** Backlog when the load stopped, how long it took to clear, and the rate it cleared at. */
  backlogAtStop: number;
  drainMs: number | null;
  drainPerSecond: number | null;
  drainFraction: number | null;
  /** Backlog (deliveries owed) each second from the load's stop until it is empty. */
  drainCurve: { s: number; backlog: number }[];
  /**
   * Events in publish order whose last delivery landed no later than the next one's (1 s
   * tolerance): near 1 means the backlog drained oldest first.
   */
  inOrderFraction: number | null;
  apiFailures: number;
  /**
   * Temporal work per event for a sample of this run's events, read after the drain: compared
   * with the idle `transitionsPerDelivery`, it shows whether saturation makes an event cost more.
   */
  work?: CostResult;
}

export interface OverloadResult {
  maxDeliveriesPerSecond: number;
  runs: OverloadRun[];
}

export async function overload(
  ctx: PhaseCtx,
  tenant: Tenant,
  opts: {
    maxEventsPerSecond: number;
    factors: number[];
    seconds: number;
    drainTimeoutMs: number;
    countWork?: (eventIds: string[]) => Promise<CostResult>;
  },
): Promise<OverloadResult> {
  const endpoints = tenant.endpointIds.length;
  const max = opts.maxEventsPerSecond * endpoints;
  const runs: OverloadRun[] = [];
  for (const factor of opts.factors) {
    const rate = round(opts.maxEventsPerSecond * factor) as number;
    ctx.log(`overload: ${factor}x max = ${rate} events/s x ${endpoints} endpoints for ${opts.seconds}s`);
    const t0 = Date.now();
    const l = await load(ctx, tenant, rate, opts.seconds);
    const t1 = Date.now();
    const drainMs = await waitDrained(ctx.ledger, l.filter, opts.drainTimeoutMs);
    const order = [...l.events];
    const times = order.map((e) => tenant.endpointIds.map((ep) => ctx.ledger.firstReceiptAt(e, ep)));
    const received = times.flat().filter((t): t is number => t !== undefined);
    const offered = order.length * endpoints;
    const during = received.filter((t) => t <= t1).length;
    const afterStop = received.filter((t) => t > t1);
    const lastAt = afterStop.length ? Math.max(...afterStop) : t1;
    const backlogAtStop = offered - during;
    const drainPerSecond = afterStop.length && lastAt > t1 ? round((afterStop.length * 1000) / (lastAt - t1)) : null;
    const curve: { s: number; backlog: number }[] = [];
    for (let t = t1; ; t += 1000) {
      const backlog = offered - received.filter((x) => x <= t).length;
      curve.push({ s: Math.round((t - t1) / 1000), backlog });
      if (backlog === 0 || t > lastAt) break;
    }
    const lastOf = times.map((ts) => (ts.every((t) => t !== undefined) ? Math.max(...(ts as number[])) : null));
    let pairs = 0;
    let inOrder = 0;
    for (let i = 1; i < lastOf.length; i++) {
      const a = lastOf[i - 1];
      const b = lastOf[i];
      if (a === null || a === undefined || b === null || b === undefined) continue;
      pairs++;
      if (a <= b + 1000) inOrder++;
    }
    const duringPerSecond = round((during * 1000) / (t1 - t0)) as number;
    const run: OverloadRun = {
      factor,
      eventsPerSecondOffered: rate,
      seconds: opts.seconds,
      deliveriesOffered: offered,
      deliveredPerSecondDuring: duringPerSecond,
      duringFraction: max > 0 ? (round(duringPerSecond / max, 2) as number) : null,
      backlogAtStop,
      drainMs,
      drainPerSecond,
      drainFraction: max > 0 && drainPerSecond !== null ? (round(drainPerSecond / max, 2) as number) : null,
      drainCurve: curve,
      inOrderFraction: pairs ? (round(inOrder / pairs, 3) as number) : null,
      apiFailures: l.run.failed,
    };
    if (opts.countWork) run.work = await opts.countWork(sample(order, WORK_SAMPLE));
    runs.push(run);
    ctx.log(
      `  -> ${run.work ? `${run.work.transitionsPerEvent} transitions per event, ` : ''}during ${run.deliveredPerSecondDuring}/s (${run.duringFraction}x max), backlog ${backlogAtStop}, ` +
        `drained at ${run.drainPerSecond}/s in ${drainMs} ms, in order ${run.inOrderFraction}`,
    );
  }
  return { maxDeliveriesPerSecond: max, runs };
}

// Enough events to average over, few enough to describe one at a time in a second or two.
const WORK_SAMPLE = 20;

/** Up to `n` items spread evenly over the run, so the ramp, the middle and the end all count. */
function sample<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}
