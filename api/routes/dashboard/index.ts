import type { ApiRouter } from '../../route';
import { inventoryRoutes } from './inventory';
import { dashboardOrderRoutes } from './orders';

/** Every /api/dashboard route module (JSON for the dealer's dashboard, session-cookie auth). */
export function registerDashboardRoutes(r: ApiRouter): void {
  inventoryRoutes(r);
  dashboardOrderRoutes(r);
}
