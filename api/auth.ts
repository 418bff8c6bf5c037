import type { KeyIdentity } from '../domain/accounts/api-keys';

export interface ApiKeyAuth extends KeyIdentity {
  kind: 'api_key';
}

export interface DashboardAuth {
  kind: 'dashboard';
  dealerId: string;
  sessionId: string;
}

export type AuthKind = 'api_key' | 'dashboard' | 'none';
export type AuthFor<K extends AuthKind> = K extends 'api_key'
  ? ApiKeyAuth
  : K extends 'dashboard'
    ? DashboardAuth
    : null;
