import type { Db } from '../lib/db';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { createWebhookSender, type WebhookSender } from '../lib/webhook-sender';
import { findEvent } from '../domain/events';
import { createDeliveryActivities } from './delivery';

export interface ActivityDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Tests and the worker may pass their own; by default one pooled sender per worker. */
  sender?: WebhookSender;
}

/** Activities are built by a factory that receives their dependencies (no globals). */
export function createActivities(deps: ActivityDeps) {
  const sender = deps.sender ?? createWebhookSender();
  return {
    async loadEventSummary(eventId: string): Promise<{ id: string; type: string } | null> {
      const e = await findEvent(deps.db, eventId);
      return e ? { id: e.id, type: e.type } : null;
    },
    ...createDeliveryActivities({ ...deps, sender }),
  };
}
