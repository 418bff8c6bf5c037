import { useEffect, useState } from 'preact/hooks';
import type { DeliveryFilters } from '../../api/activity';
import { endpointLabel, type WebhookEndpoint } from '../../api/types';
import { EventTypeOptions } from '../../components/EventPicker';
import { STATUSES, isoToLocalInput, localInputToIso, type LogView } from './delivery-filters';

/** Mode, status (several), endpoint, event type and time range; applied on submit, into the URL. */
export function DeliveryFiltersForm(props: {
  view: LogView;
  endpoints: WebhookEndpoint[];
  onApply: (f: DeliveryFilters, livemode: boolean) => void;
}) {
  const [f, setF] = useState(props.view.filters);
  const [livemode, setLivemode] = useState(props.view.livemode);
  // Back/forward or a shared link changes the URL: show what it says.
  const key = JSON.stringify([props.view.filters, props.view.livemode]);
  useEffect(() => {
    setF(props.view.filters);
    setLivemode(props.view.livemode);
  }, [key]);

  return (
    <form
      class="filters card"
      aria-label="Filter deliveries"
      onSubmit={(e) => {
        e.preventDefault();
        props.onApply(f, livemode);
      }}
    >
      <fieldset>
        <legend>Mode</legend>
        {[false, true].map((live) => (
          <label class="check" key={String(live)}>
            <input type="radio" name="mode" checked={livemode === live} onChange={() => setLivemode(live)} />{' '}
            {live ? 'Live' : 'Test'}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <label class="check" key={s}>
            <input
              type="checkbox"
              name="status"
              value={s}
              checked={f.statuses.includes(s)}
              onChange={(e) =>
                setF({
                  ...f,
                  statuses: e.currentTarget.checked ? [...f.statuses, s] : f.statuses.filter((x) => x !== s),
                })
              }
            />{' '}
            {s}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="filter-endpoint">Endpoint</label>
        <select
          id="filter-endpoint"
          value={f.endpointId}
          onChange={(e) => setF({ ...f, endpointId: e.currentTarget.value })}
        >
          <option value="">All endpoints</option>
          {props.endpoints.map((ep) => (
            <option key={ep.id} value={ep.id}>
              {endpointLabel(ep)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-type">Event type</label>
        <select id="filter-type" value={f.eventType} onChange={(e) => setF({ ...f, eventType: e.currentTarget.value })}>
          <EventTypeOptions />
        </select>
      </div>
      <div class="field">
        <label for="filter-from">Created from</label>
        <input
          id="filter-from"
          type="datetime-local"
          value={isoToLocalInput(f.from)}
          onChange={(e) => setF({ ...f, from: localInputToIso(e.currentTarget.value) })}
        />
      </div>
      <div class="field">
        <label for="filter-to">Created until</label>
        <input
          id="filter-to"
          type="datetime-local"
          value={isoToLocalInput(f.to)}
          onChange={(e) => setF({ ...f, to: localInputToIso(e.currentTarget.value) })}
        />
      </div>
      <div class="actions">
        <button type="submit" class="button button-primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}
