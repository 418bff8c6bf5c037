import type { Middleware } from 'koa';
import type { AppDeps } from '../deps';
import { AuthenticationError } from '../errors';

// Placeholder until dashboard login lands (issue 3): no dashboard route is mounted yet.
export function dashboardAuth(_deps: AppDeps): Middleware {
  return async () => {
    throw new AuthenticationError('Dashboard login required.', 'not_logged_in');
  };
}
