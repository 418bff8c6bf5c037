import type { EventRow } from '../../domain/events/event-store';
import type { Fired } from '../../domain/platform/unit-of-work';

export function presentFired<R, T extends object>(fired: Fired<R>, present: (row: R) => T) {
  return {
    ...present(fired.result),
    fired_events: fired.events.map((e: EventRow) => ({ id: e.id, type: e.type })),
  };
}
