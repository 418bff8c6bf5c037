// The delivery measurements: sustained throughput by stepped open-loop rates, latency at
// fractions of it, one-to-many fan-out, and isolation of healthy endpoints from failing ones.
import type { Ledger } from './ledger';
import { openLoop, type OpenLoopResult } from './open-loop';
import { round, slope, summarize, type Summary } from './stats';
import type { Db } from '../../lib/db';
import { publish, type Tenant } from './tenants';

export interface PhaseCtx {
  ledger: Ledger;
  db: Db;
  /** Picks the API to send the next request to (several in the drills). */
  apiUrl: () => string;
  log: (msg: string) => void;
}

type PairFilter = (eventId: string, endpointId: string) => boolean;

export async function waitDrained(ledger: Ledger, filter: PairFilter, timeoutMs: number): Promise<number | null> {
  const start = Date.now();
  for (;;) {
    if (ledger.outstanding(filter).length === 0) return Date.now() - start;
    if (Date.now() - start > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends pings to `tenant` at `rate`/s for `seconds`, sampling the backlog. */
export async function load(ctx: PhaseCtx, tenant: Tenant, rate: number, seconds: number) {
  const events = new Set<string>();
  const filter: PairFilter = (e) => events.has(e);
  const backlog: { x: number; y: number }[] = [];
  let lastSample = -Infinity;
  let sentEvents = 0;
  const run = await openLoop({
    rate,
    seconds,
    send: async () => {
      sentEvents++;
      events.add(await publish(ctx.apiUrl(), tenant, ctx.ledger, ctx.db));
    },
    onTick: (elapsed) => {
      if (elapsed - lastSample < 250) return;
      lastSample = elapsed;
      backlog.push({
        x: elapsed / 1000,
        y: sentEvents * tenant.endpointIds.length - ctx.ledger.deliveredPairs(filter),
      });
    },
  });
  return { run, events, filter, backlog, deliveredAtEnd: ctx.ledger.deliveredPairs(filter) };
}

export interface StepResult {
  eventsPerSecond: number;
  deliveriesPerSecondOffered: number;
  deliveriesPerSecondMeasured: number;
  backlogGrowthPerSecond: number;
  backlogAtEnd: number;
  drainMs: number | null;
  latencyMs: Summary;
  passed: boolean;
  why: string | null;
  load: OpenLoopResult;
}

/** Offered rates stepped up geometrically until the backlog grows (two misses in a row), never past `max`. */
export interface RateSteps {
  start: number;
  factor: number;
  max: number;
}

export function* rateSequence(rates: number[] | RateSteps): Generator<number> {
  if (Array.isArray(rates)) {
    yield* rates;
    return;
  }
  for (let r = rates.start; r <= rates.max; r = Math.round(r * rates.factor * 2) / 2) yield r;
}

export async function throughputSteps(
  ctx: PhaseCtx,
  tenant: Tenant,
  opts: { rates: number[] | RateSteps; seconds: number; drainTimeoutMs: number },
): Promise<{ steps: StepResult[]; maxEventsPerSecond: number; maxDeliveriesPerSecond: number }> {
  const steps: StepResult[] = [];
  let best: StepResult | null = null;
  const endpoints = tenant.endpointIds.length;
  for (const rate of rateSequence(opts.rates)) {
    ctx.log(`throughput: ${rate} events/s x ${endpoints} endpoints for ${opts.seconds}s`);
    const l = await load(ctx, tenant, rate, opts.seconds);
    const drainMs = await waitDrained(ctx.ledger, l.filter, opts.drainTimeoutMs);
    // Flat means the backlog grows by less than a tenth of what is offered, over the step's
    // second half (the first half is the pipeline filling up).
    const half = l.backlog.filter((p) => p.x >= opts.seconds / 2);
    const growth = slope(half);
    const offered = rate * endpoints;
    const why =
      l.run.failed > 0
        ? `${l.run.failed} API calls failed (${Object.keys(l.run.errors).join(', ')})`
        : l.run.skipped > 0
          ? `the API fell ${l.run.skipped} requests behind`
          : growth > 0.1 * offered
            ? `backlog grew ${round(growth)}/s`
            : drainMs === null
              ? `not drained within ${opts.drainTimeoutMs} ms`
              : null;
    const step: StepResult = {
      eventsPerSecond: rate,
      deliveriesPerSecondOffered: offered,
      deliveriesPerSecondMeasured: round(l.deliveredAtEnd / opts.seconds) as number,
      backlogGrowthPerSecond: round(growth) as number,
      backlogAtEnd: l.backlog.at(-1)?.y ?? 0,
      drainMs,
      latencyMs: summarize(ctx.ledger.latencies(l.filter)),
      passed: why === null,
      why,
      load: l.run,
    };
    steps.push(step);
    ctx.log(
      `  -> ${step.passed ? 'flat' : `not sustained: ${why}`}, measured ${step.deliveriesPerSecondMeasured} deliveries/s`,
    );
    if (step.passed) {
      best = step;
      continue;
    }
    // Whatever the failed step left behind must still arrive before the next step or phase.
    if (drainMs === null) await waitDrained(ctx.ledger, l.filter, opts.drainTimeoutMs * 3);
    // One miss can be noise on a shared machine; two in a row is the ceiling.
    if (steps.at(-2)?.passed === false) break;
  }
  return {
    steps,
    maxEventsPerSecond: best?.eventsPerSecond ?? 0,
    maxDeliveriesPerSecond: best?.deliveriesPerSecondOffered ?? 0,
  };
}

export interface LatencyResult {
  fraction: number;
  eventsPerSecond: number;
  latencyMs: Summary;
  drained: boolean;
}

export async function latencyAt(
  ctx: PhaseCtx,
  tenant: Tenant,
  opts: { maxEventsPerSecond: number; fractions: number[]; seconds: number; drainTimeoutMs: number },
): Promise<LatencyResult[]> {
  const out: LatencyResult[] = [];
  for (const fraction of opts.fractions) {
    const rate = Math.max(0.5, round(opts.maxEventsPerSecond * fraction) as number);
    ctx.log(`latency: ${Math.round(fraction * 100)} % of max = ${rate} events/s for ${opts.seconds}s`);
    const l = await load(ctx, tenant, rate, opts.seconds);
    const drained = (await waitDrained(ctx.ledger, l.filter, opts.drainTimeoutMs)) !== null;
    out.push({ fraction, eventsPerSecond: rate, latencyMs: summarize(ctx.ledger.latencies(l.filter)), drained });
  }
  return out;
}

export interface FanoutResult {
  endpoints: number;
  eventIds: string[];
  runs: { firstMs: number | null; lastMs: number | null; delivered: number }[];
}

/** One event at a time to many endpoints; times are read again at the end of the run (`fanoutTimes`). */
export async function fanout(
  ctx: PhaseCtx,
  tenant: Tenant,
  opts: { repeats: number; timeoutMs: number },
): Promise<FanoutResult> {
  const eventIds: string[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    ctx.log(`fan-out: one event to ${tenant.endpointIds.length} endpoints (${i + 1}/${opts.repeats})`);
    const eventId = await publish(ctx.apiUrl(), tenant, ctx.ledger, ctx.db);
    eventIds.push(eventId);
    await waitDrained(ctx.ledger, (e) => e === eventId, opts.timeoutMs);
  }
  return fanoutTimes(ctx.ledger, tenant.endpointIds, eventIds);
}

/** Answer to first and to last receipt per event; the last is null until every endpoint has it. */
export function fanoutTimes(ledger: Ledger, endpointIds: readonly string[], eventIds: string[]): FanoutResult {
  const runs = eventIds.map((eventId) => {
    const answered = ledger.answeredAt(eventId) as number;
    const times = endpointIds
      .map((ep) => ledger.firstReceiptAt(eventId, ep))
      .filter((t): t is number => t !== undefined)
      .map((t) => t - answered);
    return {
      firstMs: times.length ? Math.min(...times) : null,
      lastMs: times.length === endpointIds.length ? Math.max(...times) : null,
      delivered: times.length,
    };
  });
  return { endpoints: endpointIds.length, eventIds, runs };
}

export interface IsolationResult {
  endpoints: number;
  failing: number;
  hanging: number;
  eventsPerSecond: number;
  healthyBaselineMs: Summary;
  healthyWithFailuresMs: Summary;
  p99Ratio: number | null;
}

/**
 * The same endpoints at the same rate twice: all healthy, then with a tenth answering 500 and
 * a tenth hanging until the attempt timeout. Healthy endpoints should not notice.
 */
export async function isolation(
  ctx: PhaseCtx,
  tenant: Tenant,
  opts: { eventsPerSecond: number; seconds: number; drainTimeoutMs: number },
): Promise<IsolationResult> {
  const n = tenant.receivers.length;
  const failing = Math.max(1, Math.round(n * 0.1));
  const hanging = Math.max(1, Math.round(n * 0.1));
  const broken = new Set(tenant.receivers.slice(0, failing + hanging).map((r) => r.endpointId));
  const healthy: PairFilter = (_e, ep) => !broken.has(ep);

  ctx.log(`isolation: baseline, ${n} healthy endpoints at ${opts.eventsPerSecond} events/s`);
  const base = await load(ctx, tenant, opts.eventsPerSecond, opts.seconds);
  await waitDrained(ctx.ledger, base.filter, opts.drainTimeoutMs);
  const baseline = summarize(ctx.ledger.latencies((e, ep) => base.filter(e, ep) && healthy(e, ep)));

  tenant.receivers.forEach((r, i) => (r.mode = i < failing ? 'fail' : i < failing + hanging ? 'hang' : 'ok'));
  ctx.log(`isolation: ${failing} endpoint(s) answering 500, ${hanging} hanging`);
  const withFailures = await load(ctx, tenant, opts.eventsPerSecond, opts.seconds);
  await waitDrained(ctx.ledger, (e, ep) => withFailures.filter(e, ep) && healthy(e, ep), opts.drainTimeoutMs);
  const degraded = summarize(ctx.ledger.latencies((e, ep) => withFailures.filter(e, ep) && healthy(e, ep)));
  // Healed again: their retries may now land; whatever has not by the end is listed as pending.
  for (const r of tenant.receivers) r.mode = 'ok';
  return {
    endpoints: n,
    failing,
    hanging,
    eventsPerSecond: opts.eventsPerSecond,
    healthyBaselineMs: baseline,
    healthyWithFailuresMs: degraded,
    p99Ratio: baseline.p99 && degraded.p99 !== null ? (round(degraded.p99 / baseline.p99, 2) as number) : null,
  };
}
