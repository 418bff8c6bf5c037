// Handler bodies shared by the v1 and dashboard webhook endpoint routes: the routes differ in
// auth, paths and who the scope is; what they do with it is written once here.
import type { z } from '../openapi/zod';
import type { AppDeps } from '../deps';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
  type EndpointPolicy,
  type EndpointScope,
} from '../../domain/webhooks/endpoint-service';
import { presentDeletedEndpoint, presentEndpoint, presentEndpointList } from '../presenters/webhook-endpoints';
import type {
  CreateWebhookEndpointBody,
  ListQuery,
  RotateSecretBody,
  UpdateWebhookEndpointBody,
} from '../schemas/webhook-endpoints';

export const endpointPolicy = (deps: AppDeps): EndpointPolicy => ({
  secretsKey: deps.config.secretsKey,
  allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
});

type InModeScope = EndpointScope & { livemode: boolean };

export async function create(deps: AppDeps, scope: InModeScope, body: z.infer<typeof CreateWebhookEndpointBody>) {
  const { endpoint, secret } = await createEndpoint(deps.db, endpointPolicy(deps), scope, {
    url: body.url,
    description: body.description,
    enabledEvents: body.enabled_events,
  });
  return { ...presentEndpoint(endpoint), secret };
}

export const list = async (deps: AppDeps, scope: InModeScope, query: z.infer<typeof ListQuery>) =>
  presentEndpointList(await listEndpoints(deps.db, scope, { limit: query.limit, startingAfter: query.starting_after }));

export const get = async (deps: AppDeps, scope: EndpointScope, id: string) =>
  presentEndpoint(await getEndpoint(deps.db, scope, id));

export const update = async (
  deps: AppDeps,
  scope: EndpointScope,
  id: string,
  body: z.infer<typeof UpdateWebhookEndpointBody>,
) =>
  presentEndpoint(
    await updateEndpoint(deps.db, endpointPolicy(deps), scope, id, {
      url: body.url,
      description: body.description,
      enabledEvents: body.enabled_events,
      status: body.status,
    }),
  );

export const remove = async (deps: AppDeps, scope: EndpointScope, id: string) =>
  presentDeletedEndpoint(await deleteEndpoint(deps.db, scope, id));

export async function rotateSecret(
  deps: AppDeps,
  scope: EndpointScope,
  id: string,
  body: z.infer<typeof RotateSecretBody>,
) {
  const rotated = await rotateEndpointSecret(
    deps.db,
    endpointPolicy(deps),
    scope,
    id,
    body.grace_period_seconds * 1000,
  );
  return {
    ...presentEndpoint(rotated.endpoint),
    secret: rotated.secret,
    previous_secrets_expire_at: rotated.previousExpireAt.toISOString(),
  };
}
