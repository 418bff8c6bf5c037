// Stripe-style Idempotency-Key: the first request with a key runs and its answer is stored;
// a retry with the same key and the same request gets that answer again instead of running twice.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../lib/db';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/**
 * A key still marked in flight after this long belongs to a process that died mid-request;
 * a retry may then take it over rather than being refused for a day.
 */
export const IDEMPOTENCY_ABANDONED_MS = 5 * 60_000;

export interface IdempotencyRow {
  api_key_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
}

/** Key order does not matter: a client library may serialise the same params differently on a retry. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export const requestHash = (method: string, path: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/** Atomically claims the key for this request, or says what the earlier request left. */
export async function claimIdempotencyKey(
  db: Queryable,
  input: { apiKeyId: string; key: string; method: string; path: string; hash: string },
): Promise<Claim> {
  const row = { api_key_id: input.apiKeyId, key: input.key, method: input.method, path: input.path };
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await db('idempotency_keys')
      .insert({ ...row, request_hash: input.hash })
      .onConflict(['api_key_id', 'key'])
      .ignore()
      .returning('key');
    if (inserted.length) return { kind: 'claimed' };

    const existing = await db<IdempotencyRow>('idempotency_keys')
      .where({ api_key_id: input.apiKeyId, key: input.key })
      .first();
    if (!existing) continue; // released or purged between the two statements: try again
    // Expired, or orphaned by a process that died mid-request: take it over. The condition is
    // re-checked on Postgres' clock in the UPDATE, so two retries cannot both take it.
    const taken = await db('idempotency_keys')
      .where({ api_key_id: input.apiKeyId, key: input.key })
      .where((q) =>
        q
          .where('created_at', '<', db.raw('now() - make_interval(secs => ?)', [IDEMPOTENCY_TTL_MS / 1000]))
          .orWhere((q2) =>
            q2
              .whereNull('response_status')
              .where('created_at', '<', db.raw('now() - make_interval(secs => ?)', [IDEMPOTENCY_ABANDONED_MS / 1000])),
          ),
      )
      .update({ ...row, request_hash: input.hash, response_status: null, response_body: null, created_at: db.fn.now() })
      .returning('key');
    if (taken.length) return { kind: 'claimed' };
    if (existing.method !== input.method || existing.path !== input.path || existing.request_hash !== input.hash) {
      return { kind: 'mismatch' };
    }
    if (existing.response_status === null) return { kind: 'in_flight' };
    return { kind: 'replay', status: existing.response_status, body: existing.response_body };
  }
  return { kind: 'in_flight' };
}

export async function completeIdempotencyKey(
  db: Queryable,
  apiKeyId: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await db('idempotency_keys')
    .where({ api_key_id: apiKeyId, key })
    .update({ response_status: status, response_body: JSON.stringify(body ?? null) });
}

/** A failed (5xx) attempt must not pin its answer: the key is free for a retry. */
export async function releaseIdempotencyKey(db: Queryable, apiKeyId: string, key: string): Promise<void> {
  await db('idempotency_keys').where({ api_key_id: apiKeyId, key }).whereNull('response_status').delete();
}

export async function purgeIdempotencyKeys(db: Queryable, olderThanMs = IDEMPOTENCY_TTL_MS): Promise<number> {
  return db('idempotency_keys')
    .where('created_at', '<', db.raw('now() - make_interval(secs => ?)', [olderThanMs / 1000]))
    .delete();
}
