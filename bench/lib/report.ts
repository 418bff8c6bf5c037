// The human-readable side of a bench result (the JSON file is the machine-readable one).
import type { BenchResult } from './run-bench';
import type { Summary } from './stats';
import { table } from './table';

const ms = (v: number | null) => (v === null ? null : Math.round(v));
const lat = (s: Summary) => [s.count, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];

export function formatResult(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB, node ${m.node}; run took ${r.durationSeconds}s; load average ${m.loadAverage.start} at start, ${m.loadAverage.end} at end`,
  );
  out.push(`temporal: ${r.temporal}`);
  out.push(r.valid ? 'ledger: VALID' : `ledger: VOID — ${r.ledger.problems.join('; ')}`);
  const l = r.ledger;
  out.push(
    table(
      ['events', 'expected deliveries', 'delivered', 'duplicates', 'pending', 'lost', 'bad signatures', 'unexpected'],
      [
        [
          l.events,
          l.expectedDeliveries,
          l.delivered,
          l.duplicates,
          l.pending.length,
          l.lost.length,
          l.badSignatures,
          l.unexpected,
        ],
      ],
    ),
  );
  for (const p of l.pending.slice(0, 20))
    out.push(
      `  owed (the delivery log has it): ${p.eventId} -> ${p.endpointId} (${p.pending?.status}, ${p.pending?.attempts} attempts)`,
    );
  for (const p of l.lost.slice(0, 20)) out.push(`  LOST: ${p.eventId} -> ${p.endpointId}`);

  if (r.transitionsPerDelivery) {
    const c = r.transitionsPerDelivery;
    out.push(
      '',
      `(0) Temporal work per delivery (${c.events} events x ${c.endpointsPerEvent} endpoints, from DescribeWorkflowExecution):`,
    );
    out.push(
      table(
        ['per', 'history events', 'state transitions'],
        [
          ['delivered event (event + its deliveries)', c.historyEventsPerEvent, c.transitionsPerEvent],
          ['delivery (its event share included)', c.historyEventsPerDelivery, c.transitionsPerDelivery],
          ['event workflow', c.eventWorkflow.historyEvents, c.eventWorkflow.transitions],
          ['delivery workflow', c.deliveryWorkflow.historyEvents, c.deliveryWorkflow.transitions],
        ],
      ),
    );
  }
  if (r.throughput) {
    out.push('', `(1) sustained delivery throughput, ${r.throughput.endpoints} endpoints, open loop:`);
    out.push(
      table(
        ['events/s', 'deliveries/s offered', 'measured', 'backlog growth/s', 'drain ms', 'p50 ms', 'p99 ms', 'verdict'],
        r.throughput.steps.map((s) => [
          s.eventsPerSecond,
          s.deliveriesPerSecondOffered,
          s.deliveriesPerSecondMeasured,
          s.backlogGrowthPerSecond,
          s.drainMs,
          ms(s.latencyMs.p50),
          ms(s.latencyMs.p99),
          s.passed ? 'flat' : s.why,
        ]),
      ),
    );
    out.push(
      `max sustained: ${r.throughput.maxEventsPerSecond} events/s = ${r.throughput.maxDeliveriesPerSecond} deliveries/s`,
    );
  }
  if (r.overload) {
    const o = r.overload;
    out.push('', `(1b) overload, offered a multiple of the maximum (${o.maxDeliveriesPerSecond} deliveries/s):`);
    out.push(
      table(
        [
          'offered',
          'events/s',
          's',
          'delivered/s during',
          'x max',
          'backlog at stop',
          'drain ms',
          'drain/s',
          'x max',
          'in order',
          'transitions/event',
        ],
        o.runs.map((x) => [
          `${x.factor}x`,
          x.eventsPerSecondOffered,
          x.seconds,
          x.deliveredPerSecondDuring,
          x.duringFraction,
          x.backlogAtStop,
          x.drainMs,
          x.drainPerSecond,
          x.drainFraction,
          x.inOrderFraction,
          x.work?.transitionsPerEvent ?? null,
        ]),
      ),
    );
    for (const x of o.runs)
      out.push(`  drain curve ${x.factor}x (s: backlog): ${x.drainCurve.map((p) => `${p.s}:${p.backlog}`).join(' ')}`);
  }
  if (r.latency.length) {
    out.push('', '(2) latency, API answer -> receiver receipt (ms):');
    out.push(
      table(
        ['load', 'events/s', 'deliveries', 'p50', 'p90', 'p99', 'max'],
        r.latency.map((x) => [`${Math.round(x.fraction * 100)}%`, x.eventsPerSecond, ...lat(x.latencyMs)]),
      ),
    );
  }
  if (r.ceiling) {
    out.push('', '(3) Temporal ceiling (one no-op activity per workflow, same Temporal server):');
    out.push(
      `${r.ceiling.workflowsPerSecond} workflows/s at ${r.ceiling.concurrency} in flight; ` +
        `our deliveries/s are ${r.ceiling.ourFraction === null ? '-' : `${Math.round(r.ceiling.ourFraction * 100)} %`} of it`,
    );
  }
  if (r.fanout) {
    out.push('', `(4) fan-out, one event to ${r.fanout.endpoints} endpoints (ms from API answer):`);
    out.push(
      table(
        ['run', 'first receipt', 'last receipt', 'delivered'],
        r.fanout.runs.map((x, i) => [i + 1, ms(x.firstMs), ms(x.lastMs), x.delivered]),
      ),
    );
  }
  if (r.isolation) {
    const i = r.isolation;
    out.push(
      '',
      `(5) isolation, ${i.endpoints} endpoints at ${i.eventsPerSecond} events/s; ${i.failing} answer 500, ${i.hanging} hang (ms, healthy endpoints only):`,
    );
    out.push(
      table(
        ['run', 'deliveries', 'p50', 'p90', 'p99', 'max'],
        [
          ['all healthy', ...lat(i.healthyBaselineMs)],
          ['with failures', ...lat(i.healthyWithFailuresMs)],
        ],
      ),
    );
    out.push(`healthy p99 with failures / without: ${i.p99Ratio ?? '-'}`);
  }
  if (r.api) {
    out.push('', `(6) API at ${r.options.apiConnections} connections, ${r.options.apiSeconds}s each (autocannon):`);
    out.push(
      table(
        ['route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs bare Koa'],
        r.api.results.map((x) => [
          x.label,
          x.requestsPerSecond,
          x.p50Ms,
          x.p99Ms,
          x.non2xx,
          x.errors,
          r.api?.ratios[x.label] ?? null,
        ]),
      ),
    );
  }
  const procNames = Object.keys(r.processes.wholeRun);
  out.push('', '(7) CPU (cores busy, averaged over the phase) and peak RSS per process:');
  out.push(
    table(
      ['process', ...Object.keys(r.processes.byPhase), 'whole run', 'peak RSS MB'],
      procNames.map((p) => [
        p,
        ...Object.values(r.processes.byPhase).map((u) => u[p]?.cpuCores ?? null),
        r.processes.wholeRun[p]?.cpuCores ?? null,
        r.processes.wholeRun[p]?.peakRssMb || null,
      ]),
    ),
  );
  const phases = Object.keys(r.attempts);
  const results = [...new Set(phases.flatMap((p) => Object.keys(r.attempts[p] ?? {})))].sort();
  if (results.length > 0) {
    out.push('', '(8) worker attempts per phase, by result (deferred = sent nothing, waits for a slot):');
    out.push(
      table(
        ['result', ...phases],
        results.map((res) => [res, ...phases.map((p) => r.attempts[p]?.[res] ?? 0)]),
      ),
    );
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
