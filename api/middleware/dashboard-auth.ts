import type { Middleware } from 'koa';
import { CSRF_HEADER, SESSION_COOKIE, csrfMatches, findSession } from '../../domain/accounts/dashboard-sessions';
import type { DashboardAuth } from '../auth';
import type { AppDeps } from '../deps';
import { AuthenticationError, PermissionError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Session-cookie auth for /api/dashboard. The cookie is HttpOnly + SameSite=Lax; on top of
 * that every state change must carry the session's CSRF token in `X-CSRF-Token`, which a
 * cross-site form or script cannot read.
 */
export function dashboardAuth(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    const session = token ? await findSession(deps.db, token) : null;
    if (!session) throw new AuthenticationError('Dashboard login required.', 'not_logged_in');
    if (!SAFE_METHODS.has(ctx.method) && !csrfMatches(session, ctx.get(CSRF_HEADER) || undefined)) {
      throw new PermissionError('Missing or wrong X-CSRF-Token header.', 'csrf_token_invalid');
    }
    const auth: DashboardAuth = { kind: 'dashboard', dealerId: session.dealer_id, sessionId: session.id };
    ctx.state.auth = auth;
    await next();
  };
}
