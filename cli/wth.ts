// `wth`: the operator CLI. It talks to the database directly, so it runs wherever DATABASE_URL
// reaches (or, unset, the local `npm start` cluster).
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DEV_DATABASE_URL, loadStackEnv } from '../lib/config';
import { createDb, migrateLatest, type Db } from '../lib/db';
import { createDealer, type CreatedDealer } from '../domain/accounts/dealers';

const dealerInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  email: z.email().max(320).optional(),
  password: z.string().min(10, 'must be at least 10 characters').max(200).optional(),
  integrationName: z.string().trim().min(1).max(200).optional(),
});

function openDb(): Db {
  return createDb({ DATABASE_URL: loadStackEnv().DATABASE_URL ?? DEV_DATABASE_URL, DATABASE_POOL_MAX: 2 });
}

/** The one time the full keys are shown; afterwards only their prefixes exist. */
export function presentCreatedDealer(c: CreatedDealer) {
  const key = (k: CreatedDealer['keys']['test']) => ({
    id: k.row.id,
    key: k.key,
    prefix: k.row.prefix,
    livemode: k.row.livemode,
  });
  return {
    dealer: { id: c.dealer.id, name: c.dealer.name, email: c.dealer.email, created_at: c.dealer.created_at },
    integration: {
      id: c.integration.id,
      kind: c.integration.kind,
      name: c.integration.name,
      live_enabled: c.integration.live_enabled,
    },
    api_keys: { test: key(c.keys.test), live: key(c.keys.live) },
  };
}

async function dealerCreate(opts: Record<string, unknown>): Promise<void> {
  const parsed = dealerInput.safeParse(opts);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${String(i.path[0] ?? '')}: ${i.message}`);
    throw new InvalidArgumentError(`invalid options:\n${lines.join('\n')}`);
  }
  const db = openDb();
  try {
    const created = await createDealer(db, parsed.data).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new InvalidArgumentError('a dealer with this email already exists');
      throw err;
    });
    const out = presentCreatedDealer(created);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      process.stdout.write(
        [
          `dealer       ${out.dealer.id}  ${out.dealer.name}${out.dealer.email ? ` <${out.dealer.email}>` : ''}`,
          `integration  ${out.integration.id}  ${out.integration.name} (test mode until switched to live)`,
          `test key     ${out.api_keys.test.key}`,
          `live key     ${out.api_keys.live.key}`,
          'The keys are shown only this once; store them now.',
        ].join('\n') + '\n',
      );
    }
  } finally {
    await db.destroy();
  }
}

async function migrate(): Promise<void> {
  const db = openDb();
  try {
    const applied = await migrateLatest(db);
    process.stdout.write(applied.length ? `applied:\n  ${applied.join('\n  ')}\n` : 'up to date\n');
  } finally {
    await db.destroy();
  }
}

const program = new Command('wth')
  .description('WatchTraderHub Custom Integration operator CLI (uses DATABASE_URL, else the npm start database)')
  .showHelpAfterError();

program.command('migrate').description('apply pending database migrations').action(migrate);

program
  .command('dealer')
  .description('manage dealers')
  .command('create')
  .description('create a dealer with a Custom Integration and one test and one live API key')
  .requiredOption('--name <name>', 'dealer name')
  .option('--email <email>', 'login email for the dashboard')
  .option('--password <password>', 'dashboard password (at least 10 characters)')
  .option('--integration-name <name>', 'name of the Custom Integration', 'Custom Integration')
  .option('--json', 'print JSON')
  .action(dealerCreate);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  // Connection problems are the common case; never print a stack or the connection string.
  process.stderr.write(`wth: ${message}\n`);
  process.exit(err instanceof InvalidArgumentError ? 2 : 1);
});
