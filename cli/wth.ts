// `wth`: the CLI. Operator commands (migrate, dealer create) talk to the database directly, so
// they run wherever DATABASE_URL reaches (or, unset, the local `npm start` cluster). Developer
// commands (listen, trigger, events resend, deliveries retry) use the public API with a key.
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DEV_DATABASE_URL, loadCliEnv, loadStackEnv } from '../lib/config';
import { createApiClient, DEFAULT_API_URL, type ApiClient } from './api-client';
import { resendEvent, retryDelivery, trigger } from './dealer-commands';
import { defaultListenerName, listen } from './listen';
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
  .description(
    'WatchTraderHub Custom Integration CLI. Operator commands use DATABASE_URL (else the npm start database); ' +
      'developer commands use an API key (WTH_API_KEY, WTH_API_URL or --api-key, --api-url).',
  )
  .showHelpAfterError();

interface ApiOptions {
  apiKey?: string;
  apiUrl?: string;
  format?: string;
}

/** Key and URL from the flags, else the environment; a usage error (exit 2) when there is no key. */
function apiFrom(opts: ApiOptions): { api: ApiClient; key: string; url: string; json: boolean } {
  const env = loadCliEnv();
  const key = opts.apiKey ?? env.WTH_API_KEY;
  if (!key) throw new InvalidArgumentError('no API key: set WTH_API_KEY or pass --api-key wth_...');
  const url = opts.apiUrl ?? env.WTH_API_URL ?? DEFAULT_API_URL;
  if (!/^https?:\/\//.test(url)) throw new InvalidArgumentError(`--api-url must be an http(s) URL, got '${url}'`);
  if (opts.format !== undefined && opts.format !== 'text' && opts.format !== 'json') {
    throw new InvalidArgumentError(`--format must be text or json, got '${opts.format}'`);
  }
  return { api: createApiClient({ baseUrl: url, key }), key, url, json: opts.format === 'json' };
}

const withApiOptions = (c: Command) =>
  c
    .option('--api-key <key>', 'API key (default: WTH_API_KEY)')
    .option('--api-url <url>', `API base URL (default: WTH_API_URL, else ${DEFAULT_API_URL})`)
    .option('--format <format>', 'text or json', 'text');

function parseForwardTo(value: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidArgumentError(
      `--forward-to must be an http:// or https:// URL, e.g. http://localhost:4000/webhooks (got '${value}')`,
    );
  }
  return url;
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('--concurrency must be 1 to 16');
  return n;
}

withApiOptions(
  program
    .command('listen')
    .description("forward this integration's webhooks to a local server (no tunnel, no public URL)")
    .requiredOption('--forward-to <url>', 'local URL to POST each event to, e.g. http://localhost:4000/webhooks')
    .option('--events <list>', 'comma-separated subscriptions: *, listing.*, order.received, ...', '*')
    .option('--name <name>', 'listener name, stable per machine (default: the host name)')
    .option('--print-secret', "print only the listener's signing secret and exit")
    .option('--concurrency <n>', 'events forwarded at once; 1 keeps event order', '1')
    .option('--live', 'forward live events (needs a live key and an integration in live mode)'),
).action(async (opts: ApiOptions & Record<string, string | boolean | undefined>) => {
  const { key, url } = apiFrom(opts);
  const forwardTo = parseForwardTo(String(opts.forwardTo));
  const code = await listen({
    apiUrl: url,
    apiKey: key,
    forwardTo,
    events: String(opts.events)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
    name: typeof opts.name === 'string' ? opts.name : defaultListenerName(),
    printSecret: Boolean(opts.printSecret),
    format: opts.format === 'json' ? 'json' : 'text',
    concurrency: parseConcurrency(String(opts.concurrency)),
    live: Boolean(opts.live),
  });
  process.exit(code);
});

withApiOptions(
  program
    .command('trigger')
    .description('fire a real test-mode event of a type through the pipeline, and show where it was delivered')
    .argument('<event-type>', 'e.g. listing.published, order.received, customer.matched')
    .option('--wait <seconds>', 'how long to wait for the deliveries to settle', '15'),
).action(async (type: string, opts: ApiOptions & { wait: string }) => {
  const { api, json } = apiFrom(opts);
  const seconds = Number(opts.wait);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 600)
    throw new InvalidArgumentError('--wait must be 0 to 600 seconds');
  await trigger(api, type, { json, waitMs: seconds * 1000 });
});

withApiOptions(
  program
    .command('events')
    .description('events')
    .command('resend')
    .description('send an event again (to one endpoint, or to every endpoint that receives it)')
    .argument('<event-id>', 'evt_...')
    .option('--endpoint <id>', 'only to this endpoint (we_...), even if it never got the event'),
).action(async (eventId: string, opts: ApiOptions & { endpoint?: string }) => {
  const { api, json } = apiFrom(opts);
  await resendEvent(api, eventId, { json, endpoint: opts.endpoint });
});

withApiOptions(
  program
    .command('deliveries')
    .description('the delivery log')
    .command('retry')
    .description('send a failed or pending delivery again now')
    .argument('<delivery-id>', 'dlv_...'),
).action(async (deliveryId: string, opts: ApiOptions) => {
  const { api, json } = apiFrom(opts);
  await retryDelivery(api, deliveryId, { json });
});

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
