import type { ApiRouter } from '../../route';
import { dashboardDeliveryRoutes } from './deliveries';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  dashboardDeliveryRoutes(r);
}
