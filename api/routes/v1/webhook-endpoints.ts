import type { ApiRouter } from '../../route';
import type { ApiKeyAuth } from '../../auth';
import type { AppDeps } from '../../deps';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
  type EndpointPolicy,
} from '../../../domain/webhooks/endpoint-service';
import { presentDeletedEndpoint, presentEndpoint, presentEndpointList } from '../../presenters/webhook-endpoints';
import {
  CreateWebhookEndpointBody,
  DeletedWebhookEndpointSchema,
  EndpointIdParams,
  ListQuery,
  RotatedWebhookEndpointSchema,
  RotateSecretBody,
  UpdateWebhookEndpointBody,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from '../../schemas/webhook-endpoints';

export const endpointPolicy = (deps: AppDeps): EndpointPolicy => ({
  secretsKey: deps.config.secretsKey,
  allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
});

// A key manages its own integration's endpoints in its own mode.
const scopeOf = (auth: ApiKeyAuth) => ({
  dealerId: auth.dealerId,
  integrationId: auth.integrationId,
  livemode: auth.livemode,
});

const tags = ['Webhook endpoints'];

export function webhookEndpointRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/webhook_endpoints',
    operationId: 'createWebhookEndpoint',
    summary: "Add a webhook endpoint in the key's mode; the response holds its signing secret, shown once",
    tags,
    auth: 'api_key',
    body: CreateWebhookEndpointBody,
    response: WebhookEndpointWithSecretSchema,
    errors: [422],
    handler: async ({ auth, body, deps }) => {
      const { endpoint, secret } = await createEndpoint(deps.db, endpointPolicy(deps), scopeOf(auth), {
        url: body.url,
        description: body.description,
        enabledEvents: body.enabled_events,
      });
      return { ...presentEndpoint(endpoint), secret };
    },
  });

  r.add({
    method: 'get',
    path: '/webhook_endpoints',
    operationId: 'listWebhookEndpoints',
    summary: "The integration's webhook endpoints in the key's mode, oldest first",
    tags,
    auth: 'api_key',
    query: ListQuery,
    response: WebhookEndpointListSchema,
    handler: async ({ auth, query, deps }) =>
      presentEndpointList(
        await listEndpoints(deps.db, scopeOf(auth), { limit: query.limit, startingAfter: query.starting_after }),
      ),
  });

  r.add({
    method: 'get',
    path: '/webhook_endpoints/:id',
    operationId: 'getWebhookEndpoint',
    summary: 'One webhook endpoint (never its secret)',
    tags,
    auth: 'api_key',
    params: EndpointIdParams,
    response: WebhookEndpointSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => presentEndpoint(await getEndpoint(deps.db, scopeOf(auth), params.id)),
  });

  r.add({
    method: 'patch',
    path: '/webhook_endpoints/:id',
    operationId: 'updateWebhookEndpoint',
    summary: 'Change the URL, description, subscriptions or status of a webhook endpoint',
    tags,
    auth: 'api_key',
    params: EndpointIdParams,
    body: UpdateWebhookEndpointBody,
    response: WebhookEndpointSchema,
    errors: [404],
    handler: async ({ auth, params, body, deps }) =>
      presentEndpoint(
        await updateEndpoint(deps.db, endpointPolicy(deps), scopeOf(auth), params.id, {
          url: body.url,
          description: body.description,
          enabledEvents: body.enabled_events,
          status: body.status,
        }),
      ),
  });

  r.add({
    method: 'delete',
    path: '/webhook_endpoints/:id',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint with its secrets and delivery log',
    tags,
    auth: 'api_key',
    params: EndpointIdParams,
    response: DeletedWebhookEndpointSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) =>
      presentDeletedEndpoint(await deleteEndpoint(deps.db, scopeOf(auth), params.id)),
  });

  r.add({
    method: 'post',
    path: '/webhook_endpoints/:id/rotate_secret',
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'A new signing secret, active at once; the previous ones stay valid for the grace period',
    tags,
    auth: 'api_key',
    params: EndpointIdParams,
    body: RotateSecretBody,
    response: RotatedWebhookEndpointSchema,
    errors: [404],
    handler: async ({ auth, params, body, deps }) => {
      const rotated = await rotateEndpointSecret(
        deps.db,
        endpointPolicy(deps),
        scopeOf(auth),
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
