// `npm run bench` (see bench/README in the main README): measures the delivery pipeline and
// the API on this machine with the real stack, prints a table, writes bench/results/latest.json.
//   npm run bench                 full run (< 10 minutes)
//   npm run bench -- --short      about a minute
import { Command, Option } from 'commander';
import { PHASES, runBench, writeResult, type BenchOptions, type Phase } from './lib/run-bench';
import { formatResult } from './lib/report';
import { temporalKind } from '../scripts/stack/boot';

const list = (s: string) =>
  s
    .split(',')
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
const int = (s: string) => Number.parseInt(s, 10);

const program = new Command('bench')
  .description('Throughput, latency, fan-out, isolation and API benchmarks against a throwaway local stack')
  .option('--short', 'a quick run (about a minute): fewer, shorter steps')
  .option('--rates <list>', 'event rates to step through, events/s', list)
  .option('--overload-seconds <n>', 'how long each overload (1.5x, 2x the maximum) is offered', int)
  .option('--step <seconds>', 'length of each rate step', int)
  .option('--endpoints <n>', 'endpoints every throughput event goes to', int)
  .option('--fanout-endpoints <n>', 'endpoints for the fan-out measurement', int, 100)
  .option('--isolation-endpoints <n>', 'endpoints for the isolation measurement (10 % fail, 10 % hang)', int, 10)
  .option('--attempt-timeout <ms>', 'WEBHOOK_ATTEMPT_TIMEOUT_MS for the run', int, 10_000)
  .option('--connections <n>', 'autocannon connections', int, 10)
  .option('--api-seconds <n>', 'autocannon duration per route', int)
  .option('--ceiling-seconds <n>', 'Temporal ceiling duration', int)
  .addOption(new Option('--skip <phases>', `phases to leave out: ${PHASES.join(',')}`).argParser((s) => s.split(',')))
  .option('--temporal <kind>', 'dev (SQLite dev server) or postgres (the real server on PostgreSQL)', 'dev')
  .option('--out <file>', 'where to write the JSON result');

program.parse();
const o = program.opts();
const short = Boolean(o.short);
const skip = ((o.skip as string[] | undefined) ?? []).filter((p): p is Phase =>
  (PHASES as readonly string[]).includes(p),
);

const options: BenchOptions = {
  // Stepped up until the backlog grows, so a faster pipeline is never capped by the list.
  rates: (o.rates as number[] | undefined) ?? { start: 2, factor: short ? 1.5 : 1.25, max: 1_000 },
  overloadFactors: [1.5, 2],
  overloadSeconds: (o.overloadSeconds as number | undefined) ?? (short ? 10 : 60),
  costEvents: short ? 5 : 20,
  stepSeconds: (o.step as number | undefined) ?? (short ? 4 : 15),
  endpoints: (o.endpoints as number | undefined) ?? 4,
  latencyFractions: [0.25, 0.5, 0.8],
  fanoutEndpoints: o.fanoutEndpoints as number,
  fanoutRepeats: short ? 1 : 3,
  isolationEndpoints: o.isolationEndpoints as number,
  attemptTimeoutMs: o.attemptTimeout as number,
  drainTimeoutMs: short ? 20_000 : 30_000,
  ceilingSeconds: (o.ceilingSeconds as number | undefined) ?? (short ? 5 : 15),
  ceilingConcurrency: 20,
  apiSeconds: (o.apiSeconds as number | undefined) ?? (short ? 3 : 10),
  apiConnections: o.connections as number,
  skip,
  temporal: temporalKind(o.temporal as string),
  log: (msg) => process.stdout.write(`[bench] ${msg}\n`),
};

runBench(options).then(
  (result) => {
    process.stdout.write(`\n${formatResult(result)}\n\n${JSON.stringify(result)}\n`);
    const file = writeResult(result, o.out as string | undefined);
    process.stdout.write(`\n[bench] written to ${file}${result.valid ? '' : ' (VOID run)'}\n`);
    process.exit(result.valid ? 0 : 2);
  },
  (err) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
