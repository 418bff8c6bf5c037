import { useEffect, useState } from 'preact/hooks';
import * as activity from '../../api/activity';
import { ApiError } from '../../api/client';
import { endpointLabel, type WebhookEndpoint } from '../../api/types';
import { useAnnounce } from '../../components/Announcer';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field, FormError } from '../../components/FormField';
import { absolute } from '../../components/RelativeTime';
import { isoToLocalInput, localInputToIso } from './delivery-filters';

const DAY_MS = 24 * 3600 * 1000;

/**
 * "Recover failed since…": counts first (a dry run), shows the number in a confirmation, and
 * only then re-sends. Deliveries that later succeeded are not failed any more, so never re-sent.
 */
export function RecoverForm(props: {
  endpoints: WebhookEndpoint[];
  livemode: boolean;
  defaultEndpointId: string;
  onRecovered: () => void;
}) {
  const announce = useAnnounce();
  const [endpointId, setEndpointId] = useState(props.defaultEndpointId);
  const [since, setSince] = useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<{ count: number; url: string } | null>(null);
  useEffect(() => setEndpointId(props.defaultEndpointId), [props.defaultEndpointId]);
  const chosen = props.endpoints.find((e) => e.id === endpointId) ?? props.endpoints[0];
  if (props.endpoints.length === 0) return null;

  const count = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!chosen) return;
    try {
      const dry = await activity.recoverEndpoint(chosen.id, props.livemode, since, true);
      if (dry.count === 0)
        announce(`No failed deliveries to ${endpointLabel(chosen)} since ${absolute(new Date(since))}.`);
      else setPending({ count: dry.count, url: endpointLabel(chosen) });
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    }
  };

  return (
    <section class="card" aria-labelledby="recover-title">
      <h3 id="recover-title">Recover failed deliveries</h3>
      <p class="hint">
        Sends every failed delivery to one endpoint since a time again, once you have fixed the receiver. You see how
        many before anything is sent.
      </p>
      <form onSubmit={count}>
        <div class="field">
          <label for="recover-endpoint">Endpoint</label>
          <select id="recover-endpoint" value={chosen?.id} onChange={(e) => setEndpointId(e.currentTarget.value)}>
            {props.endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {endpointLabel(ep)}
              </option>
            ))}
          </select>
        </div>
        <Field id="recover-since" label="Failed since" error={error?.forField('since')}>
          {(ids) => (
            <input
              id={ids.id}
              type="datetime-local"
              required
              value={isoToLocalInput(since)}
              aria-describedby={ids.describedBy}
              aria-invalid={ids.invalid}
              onChange={(e) => setSince(localInputToIso(e.currentTarget.value))}
            />
          )}
        </Field>
        <FormError message={error && !error.forField('since') ? error.message : null} />
        <div class="actions">
          <button type="submit" class="button">
            Recover failed since…
          </button>
        </div>
      </form>
      {pending ? (
        <ConfirmDialog
          title={`Send ${pending.count} ${pending.count === 1 ? 'delivery' : 'deliveries'} again?`}
          confirmLabel={`Send ${pending.count} again`}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            const done = await activity.recoverEndpoint(chosen!.id, props.livemode, since, false);
            announce(`Sending ${done.count} failed ${done.count === 1 ? 'delivery' : 'deliveries'} again.`);
            props.onRecovered();
          }}
        >
          <p>
            {pending.count} failed {pending.count === 1 ? 'delivery' : 'deliveries'} to <code>{pending.url}</code> since{' '}
            {absolute(new Date(since))} will be sent again now, each as a new manual attempt.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
