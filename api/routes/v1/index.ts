import type { ApiRouter } from '../../route';
import { customerRoutes } from './customers';
import { deliveryRoutes } from './deliveries';
import { eventRoutes } from './events';
import { listenerRoutes } from './listeners';
import { listingRoutes } from './listings';
import { meRoutes } from './me';
import { orderRoutes } from './orders';
import { testEventRoutes } from './test-events';
import { webhookEndpointRoutes } from './webhook-endpoints';

/** Every /api/v1 route module, in the order they appear in the OpenAPI document. */
export function registerV1Routes(r: ApiRouter): void {
  meRoutes(r);
  listingRoutes(r);
  customerRoutes(r);
  orderRoutes(r);
  eventRoutes(r);
  testEventRoutes(r);
  webhookEndpointRoutes(r);
  deliveryRoutes(r);
  listenerRoutes(r);
}
