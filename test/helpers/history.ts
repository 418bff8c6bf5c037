// Reading workflow histories the way Temporal UI shows them: event type names and the
// activities scheduled (the JSON form names enums, the decoded protobuf form numbers them).
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';

interface JsonEvent {
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
}

const jsonEvents = (h: History): JsonEvent[] => (JSON.parse(historyToJSON(h)) as { events: JsonEvent[] }).events;

/** e.g. `EVENT_TYPE_TIMER_FIRED`, in history order. */
export const eventTypes = (h: History): string[] => jsonEvents(h).map((e) => e.eventType);

/** How many times the history scheduled the named activity. */
export const scheduledActivities = (h: History, name: string): number =>
  jsonEvents(h).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
