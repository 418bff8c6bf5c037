import { EVENT_TYPES } from '../../../domain/events/catalog';
import { FieldError } from './FormField';

// The catalog the API validates subscriptions against (domain/event-types.ts, bundled as is).
const NAMESPACES = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0] as string))];

/**
 * Event subscriptions: every event (`*`, the default), or any mix of whole namespaces
 * (`listing.*`) and single types. A fieldset of checkboxes, so it works with keyboard and
 * screen readers without any custom widget.
 */
export function EventPicker(props: { id: string; value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const all = props.value.includes('*');
  const has = (s: string) => props.value.includes(s);
  const toggle = (s: string, on: boolean) => {
    const rest = props.value.filter((v) => v !== s && v !== '*');
    props.onChange(on ? [...rest, s] : rest);
  };
  const errorId = props.error ? `${props.id}-error` : undefined;
  return (
    <fieldset id={props.id} class={props.error ? 'field-invalid' : undefined} aria-describedby={errorId}>
      <legend>Events to send</legend>
      <label class="check">
        <input type="radio" name={`${props.id}-scope`} checked={all} onChange={() => props.onChange(['*'])} />
        <span>
          All events <code>*</code> <span class="hint">(new event types included)</span>
        </span>
      </label>
      <label class="check">
        <input
          type="radio"
          name={`${props.id}-scope`}
          checked={!all}
          onChange={() => props.onChange(props.value.filter((v) => v !== '*'))}
        />
        <span>Selected events</span>
      </label>
      {!all ? (
        <div class="event-groups">
          {NAMESPACES.map((ns) => {
            const wildcard = `${ns}.*`;
            const whole = has(wildcard);
            return (
              <div class="event-group" key={ns} role="group" aria-label={`${ns} events`}>
                <label class="check">
                  <input type="checkbox" checked={whole} onChange={(e) => toggle(wildcard, e.currentTarget.checked)} />
                  <span>
                    Every <code>{wildcard}</code> event
                  </span>
                </label>
                {EVENT_TYPES.filter((t) => t.startsWith(`${ns}.`)).map((t) => (
                  <label class="check check-indent" key={t}>
                    <input
                      type="checkbox"
                      checked={whole || has(t)}
                      disabled={whole}
                      onChange={(e) => toggle(t, e.currentTarget.checked)}
                    />
                    <code>{t}</code>
                  </label>
                ))}
              </div>
            );
          })}
        </div>
      ) : null}
      <FieldError id={errorId} message={props.error} />
    </fieldset>
  );
}

/** `['*']` → "All events"; otherwise the list. */
export function describeEvents(events: string[]): string {
  return events.includes('*') ? 'All events' : events.join(', ');
}

/** The options of an event type filter: any type, or one of the catalog's. */
export function EventTypeOptions() {
  return (
    <>
      <option value="">All event types</option>
      {EVENT_TYPES.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </>
  );
}
