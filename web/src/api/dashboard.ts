// Typed calls for the session, integrations, API keys and webhook endpoints. Other areas
// (deliveries, events, inventory, orders) keep theirs in their own files next to this one.
import { api } from './client';
import type {
  ApiKey,
  DashboardSession,
  Event,
  Integration,
  IntegrationDetail,
  List,
  NewApiKey,
  RotatedWebhookEndpoint,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from './types';

export const login = (email: string, password: string) => api.post<DashboardSession>('/login', { email, password });
export const getSession = () => api.get<DashboardSession>('/session');
export const logout = () => api.post<{ deleted: true }>('/logout');

export const listIntegrations = () => api.get<List<Integration>>('/integrations');
export const getIntegration = (id: string) => api.get<IntegrationDetail>(`/integrations/${id}`);
export const createIntegration = (name: string) => api.post<Integration>('/integrations', { name });
export const setIntegrationLive = (id: string, live: boolean) =>
  api.post<Integration>(`/integrations/${id}/mode`, { live });

export const listApiKeys = (integrationId: string) => api.get<List<ApiKey>>(`/integrations/${integrationId}/api_keys`);
export const createApiKey = (integrationId: string, body: { livemode: boolean; name?: string | null }) =>
  api.post<NewApiKey>(`/integrations/${integrationId}/api_keys`, body);
export const revokeApiKey = (integrationId: string, keyId: string) =>
  api.post<ApiKey>(`/integrations/${integrationId}/api_keys/${keyId}/revoke`);

const endpoints = (integrationId: string) => `/integrations/${integrationId}/webhook_endpoints`;

export interface EndpointInput {
  url: string;
  description: string | null;
  enabled_events: string[];
}

export const listEndpoints = (integrationId: string, livemode: boolean) =>
  api.get<List<WebhookEndpoint>>(endpoints(integrationId), { livemode, limit: 100 });
export const getEndpoint = (integrationId: string, id: string) =>
  api.get<WebhookEndpoint>(`${endpoints(integrationId)}/${id}`);
export const createEndpoint = (integrationId: string, body: EndpointInput & { livemode: boolean }) =>
  api.post<WebhookEndpointWithSecret>(endpoints(integrationId), body);
export const updateEndpoint = (
  integrationId: string,
  id: string,
  body: Partial<EndpointInput> & { status?: 'enabled' | 'disabled' },
) => api.patch<WebhookEndpoint>(`${endpoints(integrationId)}/${id}`, body);
export const deleteEndpoint = (integrationId: string, id: string) =>
  api.delete<{ deleted: true }>(`${endpoints(integrationId)}/${id}`);
export const rotateEndpointSecret = (integrationId: string, id: string, gracePeriodSeconds: number) =>
  api.post<RotatedWebhookEndpoint>(`${endpoints(integrationId)}/${id}/rotate_secret`, {
    grace_period_seconds: gracePeriodSeconds,
  });
export const sendTestEvent = (integrationId: string, id: string) =>
  api.post<Event>(`${endpoints(integrationId)}/${id}/test_event`);
