import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { listenOn } from '../lib/pg-listener';
import type { KeyIdentityCache } from '../domain/accounts/key-identity-cache';

/** The channel migration 20261201050000 notifies whenever a key, integration or dealer changes. */
export const AUTH_CHANGED_CHANNEL = 'wth_auth_changed';

/** Keeps an API process's key cache in step with every change, on any process or by hand. */
export function listenForAuthChanges(
  config: Pick<Config, 'DATABASE_URL'>,
  cache: KeyIdentityCache,
  logger: Logger,
): { close(): Promise<void> } {
  return listenOn(
    config.DATABASE_URL,
    AUTH_CHANGED_CHANNEL,
    { onNotify: () => cache.invalidate(), onListening: (listening) => cache.setListening(listening) },
    logger,
  );
}
