import type { ApiRouter } from '../../route';
import type { ApiKeyAuth } from '../../auth';
import * as endpoints from '../../handlers/webhook-endpoints';
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
    handler: async ({ auth, body, deps }) => endpoints.create(deps, scopeOf(auth), body),
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
    handler: async ({ auth, query, deps }) => endpoints.list(deps, scopeOf(auth), query),
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
    handler: async ({ auth, params, deps }) => endpoints.get(deps, scopeOf(auth), params.id),
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
    errors: [404, 422],
    handler: async ({ auth, params, body, deps }) => endpoints.update(deps, scopeOf(auth), params.id, body),
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
    handler: async ({ auth, params, deps }) => endpoints.remove(deps, scopeOf(auth), params.id),
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
    handler: async ({ auth, params, body, deps }) => endpoints.rotateSecret(deps, scopeOf(auth), params.id, body),
  });
}
