import ipaddr from 'ipaddr.js';
import { z } from 'zod';

// Durations are plain milliseconds so every knob is one number in the environment.
// zod 4: `.default()` takes the parsed (output) value.
const ms = z.coerce.number().int().nonnegative();
const bytes = z.coerce.number().int().nonnegative();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const msList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'comma-separated list of milliseconds')
  .transform((s) => s.split(',').map(Number));

const HOUR = 3_600_000;
const MINUTE = 60_000;

const envSchema = z.object({
  WTH_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_BODY_LIMIT: z.string().default('1mb'),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  // Failed API key authentications per client address and minute before the address gets 429s
  // for further bad keys (a valid key is never refused by this limit).
  API_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  // After a write commits, the API starts its events' workflows without making the caller wait
  // (at most this many starts in flight per process; beyond that the outbox dispatcher starts
  // them). 0 = answer only after the starts, coupling API latency to Temporal's.
  API_DETACHED_EVENT_STARTS: z.coerce.number().int().nonnegative().default(64),
  PUBLIC_BASE_URL: z.url().optional(),
  // The built dashboard (dist/web by default); see scripts/web/build.ts.
  WEB_BUNDLE_DIR: z.string().optional(),
  // Load balancers / reverse proxies (addresses or CIDR ranges, comma-separated) whose
  // X-Forwarded-For is believed. Empty: the socket's peer is the client.
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((p) => (p.includes('/') ? ipaddr.isValidCIDR(p) : ipaddr.isValid(p))), {
      message: 'comma-separated IP addresses or CIDR ranges',
    }),
  // While PostgreSQL is unreachable the API answers 503 with this Retry-After (seconds).
  API_UNAVAILABLE_RETRY_AFTER_S: z.coerce.number().int().positive().default(5),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('wth-webhooks'),
  // A prebuilt workflow bundle (path) skips webpack at worker start; tests and images use it.
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  // 32 bytes, base64 or hex. Encrypts webhook signing secrets at rest (AES-256-GCM).
  SECRETS_ENCRYPTION_KEY: z
    .string()
    .refine((s) => decodeKey(s) !== null, 'must be 32 bytes as base64 or 64 hex characters'),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  WEBHOOK_ATTEMPT_TIMEOUT_MS: ms.default(10_000),
  // Each attempt a local activity: about half the Temporal work per delivery. Its price: an
  // attempt runs inside a workflow task, so a worker starved of CPU for longer than the task's
  // 10 s timeout can have an attempt run twice (at-least-once, as receivers are told). false =
  // a normal activity with heartbeats, for deliveries started from then on.
  WEBHOOK_ATTEMPTS_AS_LOCAL_ACTIVITIES: bool.default(true),
  WEBHOOK_RESPONSE_PREVIEW_BYTES: bytes.default(4096),
  // Waits before attempt 2, 3, ... (the first attempt is immediate). Jitter is applied on top.
  WEBHOOK_RETRY_SCHEDULE_LIVE_MS: msList.default([
    5_000,
    5 * MINUTE,
    30 * MINUTE,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    10 * HOUR,
    14 * HOUR,
    24 * HOUR,
  ]),
  WEBHOOK_RETRY_SCHEDULE_TEST_MS: msList.default([5_000, 5 * MINUTE, 30 * MINUTE]),
  WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.2),
  WEBHOOK_RETRY_AFTER_CAP_MS: ms.default(HOUR),
  // An endpoint whose deliveries have only failed for this long is disabled.
  WEBHOOK_DISABLE_AFTER_MS: ms.default(5 * 24 * HOUR),
  // Attempts in flight to one endpoint per worker process. Beyond it an attempt is deferred
  // (not sent, not counted), so a slow endpoint cannot hold every activity slot.
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: z.coerce.number().int().positive().default(10),
  // Delivery workflows one event workflow run starts before it continues as new with the rest
  // (keeps its history and pending-children count far below Temporal's limits).
  WEBHOOK_FANOUT_STARTS_PER_RUN: z.coerce.number().int().min(1).max(1_500).default(1_000),
  // Admission control: deliveries in flight (started, not yet attempted), at most, before new
  // events wait in the outbox (started by the dispatcher oldest first as room frees). Size it at
  // a few seconds of the pipeline's maximum rate: enough to keep Temporal busy, little enough
  // that a burst waits as rows instead of as half-run workflows. 200 held 0.7-0.8x of the
  // maximum under overload here; 50 held 0.97-1.05x (see the README). 0 = no cap.
  WEBHOOK_MAX_IN_FLIGHT_DELIVERIES: z.coerce.number().int().nonnegative().default(50),
  // `wth listen` streams send a heartbeat this often (proxies keep the connection; the CLI's
  // watchdog reconnects when three are missed). At most 15 s.
  LISTENER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(15_000).default(10_000),
  DISPATCHER_INTERVAL_MS: ms.default(2_000),
  // Events younger than this are left to the API's own post-commit start.
  DISPATCHER_GRACE_MS: ms.default(5_000),
  // Settling deliveries whose workflow was terminated or timed out by hand: how often, and how
  // many pending deliveries one pass checks (one Temporal describe each).
  RECONCILER_INTERVAL_MS: ms.default(60_000),
  RECONCILER_BATCH_SIZE: z.coerce.number().int().positive().default(100),
  // The worker's own small HTTP server: GET /healthz and GET /metrics. Port 0 picks a free one.
  WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  // Where the Temporal SDK core serves its own Prometheus metrics (workflow/activity task
  // latencies, poll and slot metrics), e.g. 127.0.0.1:9464. Unset: not served.
  TEMPORAL_METRICS_BIND: z.string().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(200),
  // A delivery attempt is a local activity: its workflow task stays open for the HTTP request,
  // so a few hanging endpoints must not be able to take every workflow task slot.
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(100),
});

export type Config = z.infer<typeof envSchema> & { secretsKey: Buffer };

export function decodeKey(s: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  const b = Buffer.from(s, 'base64');
  return b.length === 32 ? b : null;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; lists every problem, never the values (they may be secrets). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  // The dashboard's session cookie is Secure only when the public URL is https; production
  // never serves it over plain HTTP.
  if (result.data.WTH_ENV === 'production' && !result.data.PUBLIC_BASE_URL?.startsWith('https://')) {
    throw new ConfigError(['PUBLIC_BASE_URL: must be the https:// URL the API is served at in production']);
  }
  const key = decodeKey(result.data.SECRETS_ENCRYPTION_KEY);
  return { ...result.data, secretsKey: key as Buffer };
}

/** For entry points: parse `process.env` or print every problem and exit 1. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  try {
    return parseConfig({ ...process.env, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

// Options for the local stack launcher (npm start / npm test), kept here so that no other
// module reads process.env.
const stackSchema = z.object({
  DATABASE_URL: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_CLI: z.string().optional(),
  // Set by npm test for its test files: benches inside the suite reuse the prebuilt bundle.
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  SECRETS_ENCRYPTION_KEY: z.string().optional(),
  API_PORT: z.coerce.number().int().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().optional(),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.string().optional(),
  KEEP_TEST_DATA: z.string().optional(),
  CI: z.string().optional(),
});
export type StackEnv = z.infer<typeof stackSchema>;

// The dealer-facing `wth` commands (listen, trigger, …) authenticate like any API client.
const cliSchema = z.object({
  WTH_API_KEY: z.string().optional(),
  WTH_API_URL: z.string().optional(),
});
export function loadCliEnv(): z.infer<typeof cliSchema> {
  return cliSchema.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
}

/** Where `npm start` runs its own PostgreSQL; the `wth` CLI uses it when DATABASE_URL is unset. */
export const DEV_POSTGRES_PORT = 54329;
export const DEV_DATABASE_URL = `postgres://wth@127.0.0.1:${DEV_POSTGRES_PORT}/wth`;
export function loadStackEnv(): StackEnv {
  return stackSchema.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
}

/** The environment handed to child processes: the parent's, plus overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
