import type { ApiRouter } from '../../route';
import { integrationRoutes } from './integrations';
import { sessionRoutes } from './session';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  sessionRoutes(r);
  integrationRoutes(r);
}
