import type { ApiRouter } from '../../route';
import { dashboardDeliveryRoutes } from './deliveries';
import { dashboardEventRoutes } from './events';
import { integrationRoutes } from './integrations';
import { inventoryRoutes } from './inventory';
import { dashboardOrderRoutes } from './orders';
import { sessionRoutes } from './session';
import { dashboardWebhookEndpointRoutes } from './webhook-endpoints';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  sessionRoutes(r);
  integrationRoutes(r);
  inventoryRoutes(r);
  dashboardOrderRoutes(r);
  dashboardWebhookEndpointRoutes(r);
  dashboardDeliveryRoutes(r);
  dashboardEventRoutes(r);
}
