import type { ApiRouter } from '../../route';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(_r: ApiRouter): void {}
