// `npm run drill`: failure drills against a throwaway stack (see bench/lib/drills.ts).
//   npm run drill                          every drill
//   npm run drill -- --only worker-kill    some of them
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ROOT, temporalKind } from '../scripts/stack/boot';
import { BenchStack } from './lib/bench-stack';
import { DRILLS, runDrill, type DrillName, type DrillResult } from './lib/drills';
import { table } from './lib/table';

const int = (s: string) => Number.parseInt(s, 10);
const program = new Command('drill')
  .description('Break one part of the stack under load, restore it, and account for every event')
  .option('--only <drills>', `comma-separated: ${DRILLS.join(',')}`, (s) => s.split(','))
  .option(
    '--rate <n>',
    'events/s of the steady load (keep it well below the sustained rate of npm run bench)',
    Number,
    1,
  )
  .option('--endpoints <n>', 'endpoints every event goes to', int, 3)
  .option('--before <s>', 'seconds of load before the break', int, 10)
  .option('--down <s>', 'seconds the part stays down', int, 3)
  .option('--after <s>', 'seconds of load after the restore', int, 5)
  .option(
    '--attempt-timeout <ms>',
    'WEBHOOK_ATTEMPT_TIMEOUT_MS (an activity lost with its worker waits this + 30 s)',
    int,
    5_000,
  )
  .option('--temporal <kind>', 'dev (SQLite dev server) or postgres (the real server on PostgreSQL)', 'dev')
  .option('--recover-timeout <s>', 'longest wait for the backlog after the load stops', int, 180);
program.parse();
const o = program.opts();
const names = ((o.only as string[] | undefined) ?? [...DRILLS]).filter((d): d is DrillName =>
  (DRILLS as readonly string[]).includes(d),
);
const log = (msg: string) => process.stdout.write(`[drill] ${msg}\n`);

async function main(): Promise<boolean> {
  const bs = await BenchStack.start({
    name: 'drill',
    log,
    persistTemporal: true,
    temporal: temporalKind(o.temporal as string),
    appEnv: { WEBHOOK_ATTEMPT_TIMEOUT_MS: String(o.attemptTimeout), DISPATCHER_GRACE_MS: '2000' },
  });
  const results: DrillResult[] = [];
  try {
    for (const name of names) {
      results.push(
        await runDrill(bs, name, {
          rate: o.rate as number,
          endpoints: o.endpoints as number,
          beforeSeconds: o.before as number,
          downSeconds: o.down as number,
          afterSeconds: o.after as number,
          recoverTimeoutMs: (o.recoverTimeout as number) * 1000,
          log,
        }),
      );
    }
  } finally {
    await bs.stop();
  }
  process.stdout.write(
    `\n${table(
      [
        'drill',
        'verdict',
        'in flight at break',
        'outage ms',
        'recovered ms after restore',
        'events',
        'delivered',
        'duplicates',
        'pending',
        'lost',
        'API calls failed',
      ],
      results.map((r) => [
        r.drill,
        r.passed ? 'PASS' : 'FAIL',
        r.inFlightAtBreak,
        r.outageMs,
        r.recoveryMs,
        r.ledger.events,
        `${r.ledger.delivered}/${r.ledger.expectedDeliveries}`,
        r.ledger.duplicates,
        r.ledger.pending.length,
        r.ledger.lost.length,
        r.load.failed,
      ]),
    )}\n`,
  );
  const file = path.join(ROOT, 'bench', 'results', 'drill-latest.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    `${JSON.stringify(results.map((r) => ({ ...r, ledger: { ...r.ledger, pending: r.ledger.pending.length, lost: r.ledger.lost } })))}\n`,
  );
  return results.every((r) => r.passed);
}

main().then(
  (ok) => process.exit(ok ? 0 : 2),
  (err) => {
    process.stderr.write(`[drill] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
