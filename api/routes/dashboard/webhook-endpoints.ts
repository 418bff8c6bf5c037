import type { ApiRouter } from '../../route';
import type { DashboardAuth } from '../../auth';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
} from '../../../domain/webhooks/endpoint-service';
import { presentDeletedEndpoint, presentEndpoint, presentEndpointList } from '../../presenters/webhook-endpoints';
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
import { endpointPolicy } from '../v1/webhook-endpoints';

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
    handler: async ({ auth, params, body, deps }) => {
      const { endpoint, secret } = await createEndpoint(
        deps.db,
        endpointPolicy(deps),
        { ...scopeOf(auth, params.integrationId), livemode: body.livemode },
        { url: body.url, description: body.description, enabledEvents: body.enabled_events },
      );
      return { ...presentEndpoint(endpoint), secret };
    },
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
      presentEndpointList(
        await listEndpoints(
          deps.db,
          { ...scopeOf(auth, params.integrationId), livemode: query.livemode },
          { limit: query.limit, startingAfter: query.starting_after },
        ),
      ),
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
    handler: async ({ auth, params, deps }) =>
      presentEndpoint(await getEndpoint(deps.db, scopeOf(auth, params.integrationId), params.id)),
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
    errors: [403, 404],
    handler: async ({ auth, params, body, deps }) =>
      presentEndpoint(
        await updateEndpoint(deps.db, endpointPolicy(deps), scopeOf(auth, params.integrationId), params.id, {
          url: body.url,
          description: body.description,
          enabledEvents: body.enabled_events,
          status: body.status,
        }),
      ),
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
    handler: async ({ auth, params, deps }) =>
      presentDeletedEndpoint(await deleteEndpoint(deps.db, scopeOf(auth, params.integrationId), params.id)),
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
    handler: async ({ auth, params, body, deps }) => {
      const rotated = await rotateEndpointSecret(
        deps.db,
        endpointPolicy(deps),
        scopeOf(auth, params.integrationId),
        params.id,
        body.grace_period_seconds * 1000,
      );
      return {
        ...presentEndpoint(rotated.endpoint),
        secret: rotated.secret,
        previous_secrets_expire_at: rotated.previousExpireAt.toISOString(),
      };
    },
  });
}
