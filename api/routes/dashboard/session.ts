import type { Context } from 'koa';
import { findDealer, findDealerByEmail, type DealerRow } from '../../../domain/accounts/dealers';
import { SESSION_COOKIE, createSession, deleteSession, findSession } from '../../../domain/accounts/dashboard-sessions';
import { hashPassword, verifyPassword } from '../../../domain/accounts/passwords';
import { clearRateLimit, hitRateLimit } from '../../../domain/platform/rate-limits';
import { AuthenticationError, RateLimitError } from '../../errors';
import type { ApiRouter } from '../../route';
import { DashboardSessionSchema, LoginBodySchema, LogoutSchema } from '../../schemas/dashboard';

const LOGIN_ATTEMPTS = 10;
const LOGIN_WINDOW_MS = 15 * 60_000;

// Verifying against a real hash when the email is unknown keeps both failures equally slow,
// so response time does not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;
const unknownEmailHash = () => (dummyHash ??= hashPassword('not-a-password-anyone-has'));

const present = (dealer: DealerRow, csrfToken: string, expiresAt: Date) => ({
  object: 'dashboard_session' as const,
  dealer: { id: dealer.id, name: dealer.name, email: dealer.email },
  csrf_token: csrfToken,
  expires_at: expiresAt.toISOString(),
});

/** Set by hand: Koa refuses `secure` cookies on a plain-HTTP hop even behind a TLS proxy. */
function sessionCookie(ctx: Context, value: string, expires: Date, secure: boolean): void {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Expires=${expires.toUTCString()}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (secure) parts.push('Secure');
  ctx.append('Set-Cookie', parts.join('; '));
}

export function sessionRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/login',
    operationId: 'dashboardLogin',
    summary: 'Log in to the dashboard: sets the session cookie and returns the CSRF token',
    tags: ['Dashboard session'],
    auth: 'none',
    body: LoginBodySchema,
    response: DashboardSessionSchema,
    errors: [401, 429],
    handler: async ({ body, deps, ctx }) => {
      const bucket = `login:${body.email.toLowerCase()}:${ctx.ip}`;
      const window = await hitRateLimit(deps.db, bucket, LOGIN_ATTEMPTS, LOGIN_WINDOW_MS);
      if (window.exceeded) throw new RateLimitError(window.resetSeconds);
      const dealer = await findDealerByEmail(deps.db, body.email);
      const ok = await verifyPassword(body.password, dealer?.password_hash ?? (await unknownEmailHash()));
      if (!dealer || !dealer.password_hash || !ok) {
        throw new AuthenticationError('Wrong email or password.', 'invalid_credentials');
      }
      await clearRateLimit(deps.db, bucket);
      const session = await createSession(deps.db, dealer.id);
      const secure = deps.config.PUBLIC_BASE_URL?.startsWith('https:') ?? false;
      sessionCookie(ctx, session.token, session.expiresAt, secure);
      return present(dealer, session.csrfToken, session.expiresAt);
    },
  });

  r.add({
    method: 'get',
    path: '/session',
    operationId: 'dashboardSession',
    summary: 'The logged-in dealer and the CSRF token for this session',
    tags: ['Dashboard session'],
    auth: 'dashboard',
    response: DashboardSessionSchema,
    handler: async ({ auth, deps, ctx }) => {
      const session = await findSession(deps.db, ctx.cookies.get(SESSION_COOKIE) ?? '');
      const dealer = await findDealer(deps.db, auth.dealerId);
      if (!session || !dealer) throw new AuthenticationError('Dashboard login required.', 'not_logged_in');
      return present(dealer, session.csrf_token, session.expires_at);
    },
  });

  r.add({
    method: 'post',
    path: '/logout',
    operationId: 'dashboardLogout',
    summary: 'End this dashboard session',
    tags: ['Dashboard session'],
    auth: 'dashboard',
    response: LogoutSchema,
    handler: async ({ deps, ctx }) => {
      await deleteSession(deps.db, ctx.cookies.get(SESSION_COOKIE) ?? '');
      const secure = deps.config.PUBLIC_BASE_URL?.startsWith('https:') ?? false;
      sessionCookie(ctx, '', new Date(0), secure);
      return { object: 'dashboard_session' as const, deleted: true as const };
    },
  });
}
