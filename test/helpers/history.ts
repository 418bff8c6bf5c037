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

/** The local activity a `core_local_activity` marker records, from the marker's JSON data. */
function localActivityType(e: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const m = e.markerRecordedEventAttributes;
  if (m?.markerName !== 'core_local_activity') return undefined;
  const data = m.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type;
}

/**
 * How many times the named activity ran to a result in the history, as Temporal UI shows it: a
 * scheduled activity task, or a local activity's marker (attempts became local activities).
 */
export const activityRuns = (h: History, name: string): number =>
  scheduledActivities(h, name) + (h.events ?? []).filter((e) => localActivityType(e) === name).length;
