import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { EventStarter } from '../domain/events/outbox-relay';
import type { KeyIdentityCache } from '../domain/accounts/key-identity-cache';
import type { LeasedRateLimiter } from '../domain/platform/rate-limits';

/** Everything a request may need, built once per process by api/server.ts (or a test). */
export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  temporal: Client;
  eventStarter: EventStarter;
  /** API key lookups, cached while `wth_auth_changed` notifications reach this process. */
  keyCache: KeyIdentityCache;
  /** Per-key request limits, counted in Postgres in leases. */
  rateLimiter: LeasedRateLimiter;
}
