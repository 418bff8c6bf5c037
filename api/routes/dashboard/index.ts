import type { ApiRouter } from '../../route';
import { dashboardDeliveryRoutes } from './deliveries';
import { inventoryRoutes } from './inventory';
import { dashboardOrderRoutes } from './orders';
import { dashboardWebhookEndpointRoutes } from './webhook-endpoints';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  inventoryRoutes(r);
  dashboardOrderRoutes(r);
  dashboardWebhookEndpointRoutes(r);
  dashboardDeliveryRoutes(r);
}
