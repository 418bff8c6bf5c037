// "Send test event" on an endpoint's dashboard page: the ping of POST /v1/test/webhook_ping,
// fired for the endpoint's integration and mode (so every enabled endpoint of both gets it).
import { UnprocessableError } from '../errors';
import { DASHBOARD_TEST_EVENT_MESSAGE, sendTestEvent } from '../events/event-service';
import type { EventRow } from '../events/event-store';
import type { UnitOfWorkDeps } from '../platform/unit-of-work';
import { getEndpoint, type EndpointScope } from './endpoint-service';

export async function sendEndpointTestEvent(
  deps: UnitOfWorkDeps,
  scope: EndpointScope,
  endpointId: string,
): Promise<EventRow> {
  const endpoint = await getEndpoint(deps.db, scope, endpointId);
  // A disabled endpoint would not get it: say so instead of firing an event nobody receives.
  if (endpoint.status !== 'enabled') {
    throw new UnprocessableError(
      'This endpoint is disabled, so it would not receive the test event. Enable it first.',
      'endpoint_disabled',
    );
  }
  return sendTestEvent(
    deps,
    { dealerId: scope.dealerId, livemode: endpoint.livemode, origin: 'dashboard', integrationId: scope.integrationId },
    DASHBOARD_TEST_EVENT_MESSAGE,
  );
}
