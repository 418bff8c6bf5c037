import type { ApiRouter } from '../../route';
import type { DashboardAuth } from '../../auth';
import * as endpoints from '../../handlers/webhook-endpoints';
import {
  DashboardCreateWebhookEndpointBody,
  DashboardEndpointParams,
  DashboardIntegrationParams,
  DashboardListQuery,
  DeletedWebhookEndpointSchema,
  RotatedWebhookEndpointSchema,
  RotateSecretBody,
  UpdateWebhookEndpointBody,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from '../../schemas/webhook-endpoints';
import { sendEndpointTestEvent } from '../../../domain/webhooks/endpoint-test-event';
import { toEnvelope } from '../../../domain/events/event-store';
import { EventEnvelopeSchema } from '../../schemas/events';

// The session's dealer owns the integration in the path; anything else is 404.
const scopeOf = (auth: DashboardAuth, integrationId: string) => ({ dealerId: auth.dealerId, integrationId });

const tags = ['Dashboard: webhook endpoints'];
const base = '/integrations/:integrationId/webhook_endpoints';

export function dashboardWebhookEndpointRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: base,
    operationId: 'dashboardCreateWebhookEndpoint',
    summary: 'Add a webhook endpoint (test or live); the response holds its signing secret, shown once',
    tags,
    auth: 'dashboard',
    params: DashboardIntegrationParams,
    body: DashboardCreateWebhookEndpointBody,
    response: WebhookEndpointWithSecretSchema,
    errors: [403, 404, 422],
    handler: async ({ auth, params, body, deps }) =>
      endpoints.create(deps, { ...scopeOf(auth, params.integrationId), livemode: body.livemode }, body),
  });

  r.add({
    method: 'get',
    path: base,
    operationId: 'dashboardListWebhookEndpoints',
    summary: "An integration's webhook endpoints in one mode (`?livemode=`), oldest first",
    tags,
    auth: 'dashboard',
    params: DashboardIntegrationParams,
    query: DashboardListQuery,
    response: WebhookEndpointListSchema,
    errors: [404],
    handler: async ({ auth, params, query, deps }) =>
      endpoints.list(deps, { ...scopeOf(auth, params.integrationId), livemode: query.livemode }, query),
  });

  r.add({
    method: 'get',
    path: `${base}/:id`,
    operationId: 'dashboardGetWebhookEndpoint',
    summary: 'One webhook endpoint (never its secret)',
    tags,
    auth: 'dashboard',
    params: DashboardEndpointParams,
    response: WebhookEndpointSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => endpoints.get(deps, scopeOf(auth, params.integrationId), params.id),
  });

  r.add({
    method: 'patch',
    path: `${base}/:id`,
    operationId: 'dashboardUpdateWebhookEndpoint',
    summary: 'Change the URL, description, subscriptions or status of a webhook endpoint',
    tags,
    auth: 'dashboard',
    params: DashboardEndpointParams,
    body: UpdateWebhookEndpointBody,
    response: WebhookEndpointSchema,
    errors: [403, 404, 422],
    handler: async ({ auth, params, body, deps }) =>
      endpoints.update(deps, scopeOf(auth, params.integrationId), params.id, body),
  });

  r.add({
    method: 'delete',
    path: `${base}/:id`,
    operationId: 'dashboardDeleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint with its secrets and delivery log',
    tags,
    auth: 'dashboard',
    params: DashboardEndpointParams,
    response: DeletedWebhookEndpointSchema,
    errors: [403, 404],
    handler: async ({ auth, params, deps }) => endpoints.remove(deps, scopeOf(auth, params.integrationId), params.id),
  });

  r.add({
    method: 'post',
    path: `${base}/:id/rotate_secret`,
    operationId: 'dashboardRotateWebhookEndpointSecret',
    summary: 'A new signing secret, active at once; the previous ones stay valid for the grace period',
    tags,
    auth: 'dashboard',
    params: DashboardEndpointParams,
    body: RotateSecretBody,
    response: RotatedWebhookEndpointSchema,
    errors: [403, 404],
    handler: async ({ auth, params, body, deps }) =>
      endpoints.rotateSecret(deps, scopeOf(auth, params.integrationId), params.id, body),
  });

  r.add({
    method: 'post',
    path: `${base}/:id/test_event`,
    operationId: 'dashboardSendWebhookTestEvent',
    summary: "Send `integration.test_event` to this integration's enabled endpoints in the endpoint's mode",
    description:
      'The same ping as `POST /api/v1/test/webhook_ping`, from the dashboard: it ignores subscriptions and goes ' +
      "to every enabled endpoint of this integration in the endpoint's mode. 422 `endpoint_disabled` when the " +
      'endpoint itself is disabled.',
    tags,
    auth: 'dashboard',
    params: DashboardEndpointParams,
    response: EventEnvelopeSchema,
    errors: [404, 422],
    handler: async ({ auth, params, deps }) =>
      toEnvelope(await sendEndpointTestEvent(deps, scopeOf(auth, params.integrationId), params.id)),
  });
}
