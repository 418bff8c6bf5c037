import type { Db } from '../lib/db';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { findEvent } from '../domain/events';

export interface ActivityDeps {
  config: Config;
  db: Db;
  logger: Logger;
}

/** Activities are built by a factory that receives their dependencies (no globals). */
export function createActivities(deps: ActivityDeps) {
  return {
    async loadEventSummary(eventId: string): Promise<{ id: string; type: string } | null> {
      const e = await findEvent(deps.db, eventId);
      return e ? { id: e.id, type: e.type } : null;
    },
  };
}
