import type { Queryable } from '../../lib/db';
import { API_KEY_PATTERN, findKeyIdentityByHash, hashApiKey, type KeyIdentity } from './api-keys';

/** A backstop only: invalidation is what keeps entries right, this bounds a missed one. */
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Key lookups, remembered per process so a busy key does not cost a query per request. Only
 * while invalidations can reach this process (`setListening(true)`: its LISTEN on
 * `wth_auth_changed` is in place) are answers cached; otherwise every lookup reads Postgres, as
 * without a cache. Every invalidation drops everything, and a lookup that started before one is
 * not stored, so a revoked key is never served from a read older than its revocation.
 * Unknown keys are never cached (they stay the failure limiter's business), nor keys refused for
 * now (live keys of an integration not in live mode), so switching live mode on needs no
 * notification to take effect.
 */
export class KeyIdentityCache {
  private readonly entries = new Map<string, { identity: KeyIdentity; expiresAt: number }>();
  private generation = 0;
  private listening = false;

  constructor(private readonly now: () => number = Date.now) {}

  async find(db: Queryable, key: string): Promise<KeyIdentity | null> {
    if (!API_KEY_PATTERN.test(key)) return null;
    const hash = hashApiKey(key);
    const hit = this.entries.get(hash);
    if (hit && hit.expiresAt > this.now()) return hit.identity;
    if (hit) this.entries.delete(hash);

    const generation = this.generation;
    const identity = await findKeyIdentityByHash(db, hash);
    if (identity && usable(identity) && this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(hash, { identity, expiresAt: this.now() + TTL_MS });
    }
    return identity;
  }

  /** Something a cached answer depends on changed (or may have, unseen). */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  setListening(listening: boolean): void {
    this.invalidate();
    this.listening = listening;
  }

  get size(): number {
    return this.entries.size;
  }
}

const usable = (identity: KeyIdentity): boolean => !identity.livemode || identity.integrationLiveEnabled;
