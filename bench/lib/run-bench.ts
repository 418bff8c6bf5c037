// `npm run bench`: one throwaway stack, the API and the worker as separate processes, local
// signed-webhook receivers, and every measurement of the bench in one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, type TemporalKind } from '../../scripts/stack/boot';
import { NUM_HISTORY_SHARDS, TEMPORAL_SERVER_VERSION } from '../../scripts/stack/temporal-server';
import { attemptDelta, readAttemptCounts, type AttemptCounts } from './attempt-counts';
import { BenchStack } from './bench-stack';
import { measureTemporalCeiling, type CeilingResult } from './ceiling';
import { countWork, measureCost, type CostResult } from './cost';
import { overload, type OverloadResult } from './overload';
import {
  fanout,
  fanoutTimes,
  isolation,
  latencyAt,
  throughputSteps,
  waitDrained,
  type FanoutResult,
  type IsolationResult,
  type LatencyResult,
  type PhaseCtx,
  type RateSteps,
  type StepResult,
} from './delivery-phases';
import { measureHttp, type HttpBenchResult } from './http-bench';
import { Ledger, type LedgerReport } from './ledger';
import { ProcMonitor } from './proc';
import { closeReceivers } from './receivers';
import { createTenant, orderBody, pendingFromDeliveryLog, reconcileCommitted, type Tenant } from './tenants';

export const PHASES = ['cost', 'throughput', 'overload', 'latency', 'ceiling', 'fanout', 'isolation', 'api'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  /** Which Temporal to measure: the SQLite dev server (default) or the real server on PostgreSQL. */
  temporal?: TemporalKind;
  /** Fixed rates, or stepped up until the backlog grows. */
  rates: number[] | RateSteps;
  /** Multiples of the maximum offered in the overload phase, and for how long each. */
  overloadFactors?: number[];
  overloadSeconds?: number;
  /** Events measured one at a time for the cost per delivery. */
  costEvents: number;
  stepSeconds: number;
  endpoints: number;
  latencyFractions: number[];
  fanoutEndpoints: number;
  fanoutRepeats: number;
  isolationEndpoints: number;
  attemptTimeoutMs: number;
  drainTimeoutMs: number;
  ceilingSeconds: number;
  ceilingConcurrency: number;
  apiSeconds: number;
  apiConnections: number;
  skip: Phase[];
  log: (msg: string) => void;
}

export type ProcUsage = Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }>;

export interface BenchResult {
  valid: boolean;
  startedAt: string;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    /** 1-minute load average at start and end: other work on the machine skews every number. */
    loadAverage: { start: number; end: number };
  };
  options: Omit<BenchOptions, 'log'>;
  /** Which Temporal was measured. */
  temporal: string;
  throughput: {
    steps: StepResult[];
    maxEventsPerSecond: number;
    maxDeliveriesPerSecond: number;
    endpoints: number;
  } | null;
  /** Temporal work per delivered event and per delivery (history events, state transitions). */
  transitionsPerDelivery: CostResult | null;
  overload: OverloadResult | null;
  latency: LatencyResult[];
  ceiling: (CeilingResult & { ourFraction: number | null }) | null;
  fanout: FanoutResult | null;
  isolation: IsolationResult | null;
  api: { results: HttpBenchResult[]; ratios: Record<string, number | null> } | null;
  processes: { byPhase: Record<string, ProcUsage>; wholeRun: ProcUsage };
  /** The worker's attempts per phase, by result (succeeded, failed_attempt, deferred, ...). */
  attempts: Record<string, AttemptCounts>;
  ledger: LedgerReport;
  notes: string[];
}

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0] as number;
  const notes: string[] = [];
  if (opts.temporal === 'postgres') notes.push('Temporal: the real server on PostgreSQL (npm run cluster topology)');
  const skip = new Set(opts.skip);
  const bs = await BenchStack.start({
    name: 'bench',
    log: opts.log,
    // Measured the way `npm start` runs it: state in a SQLite file (WAL), not in memory (dev server).
    persistTemporal: true,
    temporal: opts.temporal,
    appEnv: {
      WEBHOOK_ATTEMPT_TIMEOUT_MS: String(opts.attemptTimeoutMs),
      // Retries inside the run's horizon, so induced failures heal before the final account.
      WEBHOOK_RETRY_SCHEDULE_TEST_MS: '2000,5000,10000',
      WEBHOOK_RETRY_JITTER: '0',
    },
  });
  const ledger = new Ledger();
  const tenants: Tenant[] = [];
  const byPhase: Record<string, ProcUsage> = {};
  const attempts: Record<string, AttemptCounts> = {};
  const whole = new ProcMonitor();
  try {
    opts.log('starting the API and the worker as separate processes');
    const api = await bs.addApi();
    const worker = await bs.addWorker();
    const monitorOf = (m: ProcMonitor) => {
      m.add('api', () => api.pid);
      m.add('worker', () => worker.pid);
      m.add('temporal', () => bs.temporalPid);
      m.add('postgres', () => bs.postgresPid, { tree: true });
      m.add('bench', () => process.pid);
      return m;
    };
    monitorOf(whole).start();
    const phase = async <T>(name: Phase, fn: () => Promise<T>): Promise<T | null> => {
      if (skip.has(name)) return null;
      const m = monitorOf(new ProcMonitor());
      m.start();
      const before = await readAttemptCounts(worker);
      try {
        return await fn();
      } finally {
        byPhase[name] = m.stop();
        attempts[name] = attemptDelta(before, await readAttemptCounts(worker));
      }
    };
    const ctx: PhaseCtx = { ledger, db: bs.db, apiUrl: () => api.url, log: opts.log };
    const tenant = async (name: string, endpoints: number, publish: 'ping' | 'order' = 'ping') => {
      const t = await createTenant({
        db: bs.db,
        secretsKey: bs.secretsKey,
        ledger,
        name,
        endpoints,
        apiUrl: api.url,
        publish,
      });
      tenants.push(t);
      return t;
    };

    const main = await tenant('throughput', opts.endpoints);
    const cost = await phase('cost', () => {
      opts.log(`cost: ${opts.costEvents} events, one at a time, history and state transitions per delivery`);
      return measureCost(ctx, main, {
        temporalAddress: bs.temporalAddress,
        events: opts.costEvents,
        timeoutMs: opts.drainTimeoutMs * 3,
      });
    });
    const tp = await phase('throughput', () =>
      throughputSteps(ctx, main, { rates: opts.rates, seconds: opts.stepSeconds, drainTimeoutMs: opts.drainTimeoutMs }),
    );
    const maxEvents = tp?.maxEventsPerSecond ?? 0;
    if (tp && maxEvents === 0) notes.push('no rate was sustained: latency and isolation ran at the lowest rate');
    const baseRate = maxEvents || (Array.isArray(opts.rates) ? (opts.rates[0] ?? 1) : opts.rates.start);

    const over = await phase('overload', async () =>
      maxEvents > 0
        ? overload(ctx, main, {
            maxEventsPerSecond: maxEvents,
            factors: opts.overloadFactors ?? [1.5, 2],
            seconds: opts.overloadSeconds ?? opts.stepSeconds,
            // The backlog of a 2x minute takes about a minute at the maximum to clear.
            drainTimeoutMs: (opts.overloadSeconds ?? opts.stepSeconds) * 3_000 + opts.drainTimeoutMs,
            countWork: (eventIds) =>
              countWork(ctx, main, eventIds, { temporalAddress: bs.temporalAddress, timeoutMs: opts.drainTimeoutMs }),
          })
        : null,
    );

    const latency =
      (await phase('latency', () =>
        latencyAt(ctx, main, {
          maxEventsPerSecond: baseRate,
          fractions: opts.latencyFractions,
          seconds: opts.stepSeconds,
          drainTimeoutMs: opts.drainTimeoutMs,
        }),
      )) ?? [];

    const ceiling = await phase('ceiling', async () => {
      opts.log(`Temporal ceiling: one-no-op-activity workflows for ${opts.ceilingSeconds}s`);
      return measureTemporalCeiling({
        address: bs.temporalAddress,
        seconds: opts.ceilingSeconds,
        concurrency: opts.ceilingConcurrency,
      });
    });

    let fanoutTenant: Tenant | null = null;
    let fan = await phase('fanout', async () => {
      fanoutTenant = await tenant('fanout', opts.fanoutEndpoints, 'order');
      return fanout(ctx, fanoutTenant, { repeats: opts.fanoutRepeats, timeoutMs: opts.drainTimeoutMs * 3 });
    });

    const iso = await phase('isolation', async () =>
      isolation(ctx, await tenant('isolation', opts.isolationEndpoints), {
        // Half the sustained delivery rate, spread over the isolation endpoints: the healthy
        // ones must not be slowed by a saturated pipeline, only (if at all) by the failing ones.
        eventsPerSecond: Math.max(
          0.2,
          Math.round(((baseRate * opts.endpoints * 0.5) / opts.isolationEndpoints) * 10) / 10,
        ),
        seconds: opts.stepSeconds,
        drainTimeoutMs: opts.drainTimeoutMs,
      }),
    );

    const apiResults = await phase('api', () => apiBench(bs, opts, tenant, notes));

    opts.log('waiting for the last deliveries');
    await waitDrained(ledger, () => true, opts.drainTimeoutMs);
    // A fan-out slower than its phase's wait is still timed to its last receipt.
    const ft = fanoutTenant as Tenant | null;
    if (fan && ft) fan = fanoutTimes(ledger, ft.endpointIds, fan.eventIds);
    await reconcileCommitted(bs.db, tenants, ledger);
    const report = ledger.report(await pendingFromDeliveryLog(bs.db, ledger.outstanding()));
    const wholeRun = whole.stop();

    return {
      valid: report.valid,
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        loadAverage: { start: round2(loadAtStart), end: round2(os.loadavg()[0] as number) },
      },
      options: { ...opts, log: undefined } as Omit<BenchOptions, 'log'>,
      temporal: !bs.ownsServices
        ? 'the Temporal server given by TEMPORAL_ADDRESS'
        : opts.temporal === 'postgres'
          ? `Temporal ${TEMPORAL_SERVER_VERSION} on PostgreSQL, ${NUM_HISTORY_SHARDS} history shards (npm run cluster's server)`
          : 'temporal server start-dev, SQLite file (journal_mode=WAL, synchronous=NORMAL)',
      throughput: tp ? { ...tp, endpoints: opts.endpoints } : null,
      transitionsPerDelivery: cost,
      overload: over,
      latency,
      ceiling: ceiling
        ? {
            ...ceiling,
            ourFraction:
              tp && ceiling.workflowsPerSecond > 0
                ? Math.round((tp.maxDeliveriesPerSecond / ceiling.workflowsPerSecond) * 100) / 100
                : null,
          }
        : null,
      fanout: fan,
      isolation: iso,
      api: apiResults,
      processes: { byPhase, wholeRun },
      attempts,
      ledger: report,
      notes,
    };
  } finally {
    await closeReceivers(tenants.flatMap((t) => t.receivers));
    await bs.stop({ keepData: false });
  }
}

async function apiBench(
  bs: BenchStack,
  opts: BenchOptions,
  tenant: (name: string, endpoints: number) => Promise<Tenant>,
  notes: string[],
): Promise<{ results: HttpBenchResult[]; ratios: Record<string, number | null> }> {
  const bare = await bs.startBareKoa();
  try {
    const api = bs.apis[0];
    if (!api) throw new Error('no API process');
    const t = await tenant('api', 0);
    const auth = { authorization: `Bearer ${t.key}` };
    const common = { connections: opts.apiConnections, seconds: opts.apiSeconds };
    const results: HttpBenchResult[] = [];
    const ratios: Record<string, number | null> = {};
    const run = async (label: string, url: string, method: 'GET' | 'POST', body?: () => unknown) => {
      opts.log(`api: ${label} for ${opts.apiSeconds}s at ${opts.apiConnections} connections`);
      const r = await measureHttp({ label, url, method, headers: auth, body, ...common });
      results.push(r);
      return r;
    };
    const available = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${api.url}${p}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await res.text();
      return res.status !== 404 && res.status !== 405;
    };

    const bareGet = await run('bare Koa GET /bare', `${bare.url}/bare`, 'GET');
    if (await available('GET', '/api/v1/listings')) {
      const r = await run('GET /api/v1/listings', `${api.url}/api/v1/listings`, 'GET');
      ratios['GET /api/v1/listings'] = ratio(r, bareGet);
    } else {
      notes.push('GET /api/v1/listings is not in this build: measured GET /api/v1/me instead');
      const r = await run('GET /api/v1/me', `${api.url}/api/v1/me`, 'GET');
      ratios['GET /api/v1/me'] = ratio(r, bareGet);
    }
    const bodyOf = orderBody;
    const barePost = await run('bare Koa POST /bare', `${bare.url}/bare`, 'POST', bodyOf);
    if (await available('POST', '/api/v1/orders', orderBody())) {
      const r = await run('POST /api/v1/orders', `${api.url}/api/v1/orders`, 'POST', bodyOf);
      ratios['POST /api/v1/orders'] = ratio(r, barePost);
    } else {
      notes.push('POST /api/v1/orders is not in this build: not measured');
    }
    return { results, ratios };
  } finally {
    await bare.stop(5_000);
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const ratio = (ours: HttpBenchResult, bare: HttpBenchResult) =>
  bare.requestsPerSecond > 0 ? Math.round((ours.requestsPerSecond / bare.requestsPerSecond) * 1000) / 1000 : null;

export function writeResult(result: BenchResult, file = path.join(ROOT, 'bench', 'results', 'latest.json')): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
