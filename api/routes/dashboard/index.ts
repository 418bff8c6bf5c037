import type { ApiRouter } from '../../route';
import { dashboardDeliveryRoutes } from './deliveries';
import { dashboardWebhookEndpointRoutes } from './webhook-endpoints';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  dashboardWebhookEndpointRoutes(r);
  dashboardDeliveryRoutes(r);
}
