import type { ApiRouter } from '../../route';
import { deliveryRoutes } from './deliveries';
import { meRoutes } from './me';
import { webhookEndpointRoutes } from './webhook-endpoints';

/** Every /api/v1 route module, in the order they appear in the OpenAPI document. */
export function registerV1Routes(r: ApiRouter): void {
  meRoutes(r);
  webhookEndpointRoutes(r);
  deliveryRoutes(r);
}
