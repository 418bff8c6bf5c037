import pg from 'pg';
import type { Logger } from './logger';

export interface PgListenerHandlers {
  /** A notification arrived on the channel. */
  onNotify(payload: string | undefined): void;
  /**
   * Whether notifications can currently reach us: false as soon as the connection is lost (any
   * notification sent from then on is missed), true once LISTEN is in place again.
   */
  onListening(listening: boolean): void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

/**
 * One dedicated connection LISTENing on one channel, reconnecting with backoff for as long as
 * it is open. Not from the pool: a pooled connection is handed to other queries and its LISTEN
 * would be lost with it.
 */
export function listenOn(
  connectionString: string,
  channel: string,
  handlers: PgListenerHandlers,
  logger: Logger,
): { close(): Promise<void> } {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | null = null;

  const lost = (c: pg.Client, err?: Error) => {
    if (client !== c) return;
    client = null;
    handlers.onListening(false);
    c.end().catch(() => undefined);
    if (closed) return;
    logger.warn({ err, channel, retryMs }, 'notification connection lost; reconnecting');
    timer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const connect = () => {
    timer = null;
    const c = new pg.Client({ connectionString });
    client = c;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c));
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.onNotify(n.payload);
    });
    c.connect()
      .then(() => c.query(`LISTEN ${pg.escapeIdentifier(channel)}`))
      .then(() => {
        if (client !== c) return;
        retryMs = RETRY_MIN_MS;
        handlers.onListening(true);
      })
      .catch((err: Error) => lost(c, err));
  };

  connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      handlers.onListening(false);
      await c?.end().catch(() => undefined);
    },
  };
}
