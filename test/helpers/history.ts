// Reading workflow histories the way Temporal UI shows them: event type names and the
// activities scheduled.
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

/** e.g. `EVENT_TYPE_TIMER_FIRED`, in history order. */
export const eventTypes = (h: History): string[] =>
  (h.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] as string);

/** How many times the history scheduled the named activity. */
export const scheduledActivities = (h: History, name: string): number =>
  (h.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
