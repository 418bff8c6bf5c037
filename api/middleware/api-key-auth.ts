import type { Middleware } from 'koa';
import { findKeyIdentity, touchApiKey } from '../../domain/accounts/api-keys';
import type { ApiKeyAuth } from '../auth';
import type { AppDeps } from '../deps';
import { AuthenticationError, PermissionError } from '../errors';

export function apiKeyAuth(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new AuthenticationError(
        'No API key provided. Send it as `Authorization: Bearer wth_...`.',
        header ? 'invalid_authorization_header' : 'missing_api_key',
      );
    }
    const identity = await findKeyIdentity(deps.db, match[1] as string);
    if (!identity) throw new AuthenticationError();
    if (identity.livemode && !identity.integrationLiveEnabled) {
      throw new PermissionError(
        'This integration is still in test mode: live keys work once it is switched to live.',
        'livemode_disabled',
      );
    }
    const auth: ApiKeyAuth = { kind: 'api_key', ...identity };
    ctx.state.auth = auth;
    await touchApiKey(deps.db, identity);
    await next();
  };
}
