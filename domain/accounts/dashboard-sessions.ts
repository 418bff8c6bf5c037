// Dashboard sessions: the cookie carries a random token; the table holds only its SHA-256, so
// a leaked table yields no usable session. Each session has its own CSRF token, which state
// changes must echo in the `X-CSRF-Token` header (double submit against a server-side value).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../lib/db';
import { randomBase62 } from '../../lib/ids';

export const SESSION_COOKIE = 'wth_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface SessionRow {
  id: string;
  dealer_id: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createSession(
  db: Queryable,
  dealerId: string,
  now: Date = new Date(),
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBase62(43);
  const csrfToken = randomBase62(32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db('dashboard_sessions').insert({
    id: hashToken(token),
    dealer_id: dealerId,
    csrf_token: csrfToken,
    expires_at: expiresAt,
  });
  return { token, csrfToken, expiresAt };
}

export async function findSession(db: Queryable, token: string, now: Date = new Date()): Promise<SessionRow | null> {
  if (!/^[0-9A-Za-z]{43}$/.test(token)) return null;
  const row = await db<SessionRow>('dashboard_sessions')
    .where({ id: hashToken(token) })
    .where('expires_at', '>', now)
    .first();
  return row ?? null;
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db('dashboard_sessions')
    .where({ id: hashToken(token) })
    .delete();
}

export function csrfMatches(session: SessionRow, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(session.csrf_token);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
