import type { ApiRouter } from '../../route';
import { dashboardWebhookEndpointRoutes } from './webhook-endpoints';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  dashboardWebhookEndpointRoutes(r);
}
