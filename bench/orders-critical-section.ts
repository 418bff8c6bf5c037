// Where the time of `reportOrder` goes when one dealer reports orders concurrently: a throwaway
// Postgres (the bench's settings), N concurrent in-process reporters, and per-statement timings
// from knex's query events. Prints reports/s, report latency and the time of each statement
// kind (the one that takes the ordering lock includes the wait for it). With --http it first
// measures POST /api/v1/orders through the Koa app in this process (workflow starts stubbed).
//   npx tsx bench/orders-critical-section.ts [--concurrency 10] [--seconds 10] [--http]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDb, migrateLatest } from '../lib/db';
import { createLogger } from '../lib/logger';
import { startLocalPostgres } from '../scripts/stack/postgres';
import { freePort } from '../scripts/stack/ports';
import { createDealer } from '../domain/accounts/dealers';
import { apiActor } from '../domain/platform/actor';
import { reportOrder } from '../domain/commerce/orders';
import type { UnitOfWorkDeps } from '../domain/platform/unit-of-work';
import type { EventStarter } from '../domain/events/outbox-relay';
import { orderBody } from './lib/tenants';
import { measureHttp } from './lib/http-bench';
import { createApp } from '../api/app';
import { loadConfig } from '../lib/config';
import type { AppDeps } from '../api/deps';
import { KeyIdentityCache } from '../domain/accounts/key-identity-cache';
import { LeasedRateLimiter } from '../domain/platform/rate-limits';
import type { AddressInfo } from 'node:net';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const concurrency = arg('concurrency', 10);
const seconds = arg('seconds', 10);

/** The statement kinds a report issues, named by what they do. */
function kindOf(sql: string): string {
  const s = sql.trim().toLowerCase();
  if (s.startsWith('begin')) return 'BEGIN';
  if (s.startsWith('commit')) return 'COMMIT';
  if (s.startsWith('rollback')) return 'ROLLBACK';
  if (s.includes('pg_advisory_xact_lock')) return s.includes('insert into') ? 'lock + insert order' : 'append lock';
  if (s.startsWith('insert into "orders"')) return 'insert order';
  if (s.startsWith('insert into "events"')) return 'insert event';
  if (s.includes('from "listings"')) return 'listing match FOR UPDATE';
  if (s.includes('from "orders"')) return 'existing order check';
  if (s.startsWith('select now()')) return 'transaction time';
  return s.slice(0, 40);
}

interface Timed {
  kind: string;
  txId: string | undefined;
  start: number;
  end?: number;
}

async function main() {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-cs-'));
  const pg = await startLocalPostgres({ baseDir, port: await freePort(), ephemeral: true });
  const db = createDb({ DATABASE_URL: pg.url, DATABASE_POOL_MAX: concurrency + 2 });
  try {
    await migrateLatest(db);
    const dealer = await createDealer(db, { name: 'Critical section' });
    const actor = apiActor({ dealerId: dealer.dealer.id, livemode: false, integrationId: dealer.integration.id });
    const eventStarter: EventStarter = {
      start: async () => undefined,
      startDetached: () => undefined,
      detachAfterCommit: true,
      drain: async () => undefined,
    } as unknown as EventStarter;
    const deps: UnitOfWorkDeps = { db, eventStarter, logger: createLogger({ level: 'warn', name: 'cs' }) };

    const byUid = new Map<string, Timed>();
    const all: Timed[] = [];
    let measuring = false;
    db.on('query', (q: { __knexQueryUid: string; __knexTxId?: string; sql: string }) => {
      if (!measuring) return;
      const t: Timed = { kind: kindOf(q.sql), txId: q.__knexTxId, start: performance.now() };
      byUid.set(q.__knexQueryUid, t);
      all.push(t);
    });
    const done = (_r: unknown, q: { __knexQueryUid: string }) => {
      const t = byUid.get(q.__knexQueryUid);
      if (t) t.end = performance.now();
    };
    db.on('query-response', done);
    db.on('query-error', (_e: unknown, q: { __knexQueryUid: string }) => done(undefined, q));

    if (process.argv.includes('--http')) {
      // The whole API path (auth, rate limit, validation, report, presenter) in this process,
      // without Temporal: workflow starts are stubbed, as they are detached after commit anyway.
      const config = loadConfig({
        DATABASE_URL: pg.url,
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT_PER_MINUTE: '100000000',
        SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      });
      // No LISTEN connection here, so the key cache stays off and every request reads the key.
      const appDeps = {
        ...deps,
        config,
        temporal: undefined,
        keyCache: new KeyIdentityCache(),
        rateLimiter: new LeasedRateLimiter(db),
      } as unknown as AppDeps;
      const server = createApp(appDeps).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const { port } = server.address() as AddressInfo;
      const r = await measureHttp({
        label: 'POST /api/v1/orders',
        url: `http://127.0.0.1:${port}/api/v1/orders`,
        method: 'POST',
        headers: { authorization: `Bearer ${dealer.keys.test.key}` },
        body: orderBody,
        connections: concurrency,
        seconds,
      });
      console.log(JSON.stringify(r));
      server.closeAllConnections();
      server.close();
    }
    // Warm the pool and the plans.
    await Promise.all(Array.from({ length: concurrency }, () => reportOrder(deps, actor, orderBody())));

    measuring = true;
    const until = performance.now() + seconds * 1000;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          await reportOrder(deps, actor, { ...orderBody(), external_id: `cs-${randomUUID()}` });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    measuring = false;

    const stats = new Map<string, number[]>();
    for (const t of all) {
      if (t.end === undefined) continue;
      const list = stats.get(t.kind) ?? [];
      list.push(t.end - t.start);
      stats.set(t.kind, list);
    }
    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    const f = (n: number) => n.toFixed(2).padStart(8);
    console.log(
      `${latencies.length} reports in ${seconds}s at ${concurrency} concurrent: ${f(latencies.length / seconds)}/s`,
    );
    console.log(`report latency ms: p50 ${f(pct(latencies, 50))}  p99 ${f(pct(latencies, 99))}`);
    console.log('statement                     count   mean ms    p50 ms    p99 ms');
    for (const [kind, xs] of stats) {
      console.log(
        `${kind.padEnd(28)} ${String(xs.length).padStart(6)} ${f(mean(xs))}  ${f(pct(xs, 50))}  ${f(pct(xs, 99))}`,
      );
    }
  } finally {
    await db.destroy();
    await pg.stop();
    fs.rmSync(baseDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
