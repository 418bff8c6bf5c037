import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import * as dashboard from '../../api/dashboard';
import {
  endpointLabel,
  type IntegrationDetail,
  type RotatedWebhookEndpoint,
  type WebhookEndpoint,
} from '../../api/types';
import { useAnnounce } from '../../components/Announcer';
import { ModeBadge, StatusBadge } from '../../components/Badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { describeEvents, EventPicker } from '../../components/EventPicker';
import { FormError, TextField } from '../../components/FormField';
import { absolute, RelativeTime } from '../../components/RelativeTime';
import { SecretField } from '../../components/SecretField';
import { errorMessage, useAsync } from '../../components/useAsync';
import { disabledReason } from './endpointText';

const GRACE = [
  { seconds: 0, label: 'None: the old secret stops signing now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86400, label: '24 hours (recommended)' },
  { seconds: 604800, label: '7 days' },
];

type Dialog = 'delete' | 'disable' | 'rotate' | null;

/** One endpoint: details, test event, edit, enable/disable, rotate secret, delete. */
export function EndpointPage({ integration, endpointId }: { integration: IntegrationDetail; endpointId: string }) {
  const ep = useAsync(() => dashboard.getEndpoint(integration.id, endpointId), [integration.id, endpointId]);
  const announce = useAnnounce();
  const { route } = useLocation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [grace, setGrace] = useState(86400);
  const [rotated, setRotated] = useState<RotatedWebhookEndpoint | null>(null);
  const [pingResult, setPingResult] = useState<{ ok: boolean; text: string } | null>(null);
  const listUrl = `/integrations/${integration.id}/settings`;

  if (ep.error) {
    return (
      <>
        <p>
          <a href={listUrl}>← Webhook endpoints</a>
        </p>
        <FormError
          message={ep.error.status === 404 ? 'This endpoint does not exist (any more).' : errorMessage(ep.error)}
        />
      </>
    );
  }
  const e = ep.data;
  if (!e) return <p aria-busy="true">Loading endpoint…</p>;
  const mode = e.livemode ? 'live' : 'test';

  const ping = async () => {
    setPingResult(null);
    try {
      const event = await dashboard.sendTestEvent(integration.id, e.id);
      const text = `Test event ${event.id} sent to this integration’s enabled ${mode} endpoints.`;
      setPingResult({ ok: true, text });
      announce(text);
    } catch (err) {
      setPingResult({ ok: false, text: errorMessage(err) });
    }
  };

  return (
    <>
      <p>
        <a href={`${listUrl}${e.livemode ? '?mode=live' : ''}`}>← {e.livemode ? 'Live' : 'Test'} webhook endpoints</a>
      </p>
      <div class="page-title">
        <h2 class="mono">{endpointLabel(e)}</h2>
        <ModeBadge live={e.livemode} />
        {e.status === 'enabled' ? (
          <StatusBadge tone="success" label="Enabled" />
        ) : (
          <StatusBadge tone="danger" label="Disabled" />
        )}
      </div>

      {e.status === 'disabled' ? (
        <div class="form-error" data-testid="disabled-reason">
          Disabled since{' '}
          <time dateTime={e.disabled_at ?? undefined} title={e.disabled_at ? absolute(new Date(e.disabled_at)) : ''}>
            {e.disabled_at ? absolute(new Date(e.disabled_at)) : 'unknown'}
          </time>
          : {disabledReason(e)} No events are delivered to it meanwhile, and events made while it is disabled are not
          sent later.
        </div>
      ) : null}

      <section class="card" aria-labelledby="ep-details">
        <h3 id="ep-details">Details</h3>
        <dl class="facts">
          <dt>Endpoint id</dt>
          <dd class="mono">{e.id}</dd>
          <dt>Description</dt>
          <dd>{e.description ?? '—'}</dd>
          <dt>Events</dt>
          <dd>{describeEvents(e.enabled_events)}</dd>
          <dt>Created</dt>
          <dd>
            <RelativeTime iso={e.created_at} />
          </dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="ep-test">
        <h3 id="ep-test">Send a test event</h3>
        <p class="hint">
          Sends <code>integration.test_event</code> to this integration’s enabled {mode} endpoints (this one included),
          whatever their subscriptions, signed like every other event. Check the result in the{' '}
          <a href={`/integrations/${integration.id}/deliveries`}>Delivery Log</a>.
        </p>
        <button type="button" class="button button-primary" onClick={ping} disabled={e.status !== 'enabled'}>
          Send test event
        </button>
        {e.status !== 'enabled' ? <p class="hint">Enable the endpoint to send a test event.</p> : null}
        {pingResult ? (
          <p
            class={pingResult.ok ? 'notice' : 'error-text'}
            role={pingResult.ok ? undefined : 'alert'}
            data-testid="ping-result"
          >
            {pingResult.text}
          </p>
        ) : null}
      </section>

      <EditEndpoint integrationId={integration.id} endpoint={e} onSaved={ep.reload} />

      <section class="card" aria-labelledby="ep-secret">
        <h3 id="ep-secret">Signing secret</h3>
        {rotated ? (
          <>
            <SecretField
              label="New signing secret"
              value={rotated.secret}
              warning="Update your receiver now: it will not be shown again."
            />
            <p class="notice">
              The new secret signs from now on.{' '}
              {new Date(rotated.previous_secrets_expire_at) > new Date()
                ? `Until ${absolute(new Date(rotated.previous_secrets_expire_at))} every delivery carries two signatures (v1=… for each secret), so your receiver keeps working while you deploy the new one.`
                : 'The previous secret no longer signs.'}
            </p>
          </>
        ) : null}
        <p class="hint">
          Rotating creates a new secret. During the grace period both the new and the previous secret sign every
          delivery (two <code>v1=</code> values in <code>WTH-Signature</code>), so you can switch your receiver over
          without missing events.
        </p>
        <fieldset>
          <legend>Grace period for the previous secret</legend>
          {GRACE.map((g) => (
            <label class="check" key={g.seconds}>
              <input type="radio" name="grace" checked={grace === g.seconds} onChange={() => setGrace(g.seconds)} />
              <span>{g.label}</span>
            </label>
          ))}
        </fieldset>
        <button type="button" class="button" onClick={() => setDialog('rotate')}>
          Rotate secret…
        </button>
      </section>

      <section class="card" aria-labelledby="ep-danger">
        <h3 id="ep-danger">Status and deletion</h3>
        <div class="actions">
          {e.status === 'enabled' ? (
            <button type="button" class="button" onClick={() => setDialog('disable')}>
              Disable endpoint…
            </button>
          ) : (
            <button
              type="button"
              class="button button-primary"
              onClick={async () => {
                try {
                  await dashboard.updateEndpoint(integration.id, e.id, { status: 'enabled' });
                  announce('Endpoint enabled: new events are delivered to it again.');
                  await ep.reload();
                } catch (err) {
                  announce(`Could not enable the endpoint: ${errorMessage(err)}`);
                }
              }}
            >
              Enable endpoint
            </button>
          )}
          <button type="button" class="button button-danger" onClick={() => setDialog('delete')}>
            Delete endpoint…
          </button>
        </div>
      </section>

      {dialog === 'rotate' ? (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const r = await dashboard.rotateEndpointSecret(integration.id, e.id, grace);
            setRotated(r);
            announce('Secret rotated. Copy the new secret now: it is shown only once.');
          }}
        >
          <p>
            A new secret starts signing at once.{' '}
            {grace === 0
              ? 'The previous secret stops signing now: a receiver that only knows it will reject deliveries until you update it.'
              : `The previous secret keeps signing too for ${GRACE.find((g) => g.seconds === grace)?.label.replace(' (recommended)', '')}; deliveries carry both signatures meanwhile.`}
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'disable' ? (
        <ConfirmDialog
          title="Disable this endpoint?"
          confirmLabel="Disable endpoint"
          destructive
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await dashboard.updateEndpoint(integration.id, e.id, { status: 'disabled' });
            announce('Endpoint disabled.');
            await ep.reload();
          }}
        >
          <p>
            No events are delivered to it until you enable it again, and events made meanwhile are not sent later. Its
            secret and delivery log are kept.
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          destructive
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await dashboard.deleteEndpoint(integration.id, e.id);
            announce(`Endpoint ${endpointLabel(e)} deleted.`);
            route(`${listUrl}${e.livemode ? '?mode=live' : ''}`);
          }}
        >
          <p>
            <span class="mono">{endpointLabel(e)}</span> stops receiving events at once. Its signing secrets and its
            delivery log are deleted too. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function EditEndpoint(props: { integrationId: string; endpoint: WebhookEndpoint; onSaved: () => Promise<void> }) {
  const announce = useAnnounce();
  const e = props.endpoint;
  const isListener = e.url === null;
  const [url, setUrl] = useState(e.url ?? '');
  const [description, setDescription] = useState(e.description ?? '');
  const [events, setEvents] = useState<string[]>(e.enabled_events);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setUrl(e.url ?? '');
    setDescription(e.description ?? '');
    setEvents(e.enabled_events);
  }, [e.updated_at, e.url, e.description, e.enabled_events]);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await dashboard.updateEndpoint(props.integrationId, e.id, {
        // A `wth listen` endpoint has no URL: the CLI's --forward-to decides where events go.
        ...(isListener ? {} : { url: url.trim() }),
        description: description.trim() || null,
        enabled_events: events,
      });
      announce('Endpoint saved.');
      await props.onSaved();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const named = error && ['url', 'description', 'enabled_events'].some((f) => error.forField(f));
  return (
    <section class="card" aria-labelledby="ep-edit">
      <h3 id="ep-edit">Edit</h3>
      <form onSubmit={submit} noValidate>
        <FormError message={error && !named ? error.message : null} />
        {isListener ? (
          <p class="hint">
            Events go to the local URL its <code>wth listen --forward-to</code> names; only the description and events
            can change here.
          </p>
        ) : (
          <TextField
            id="edit-url"
            label="Endpoint URL"
            type="url"
            value={url}
            onValue={setUrl}
            error={error?.forField('url')}
            hint={e.livemode ? 'Live endpoints must use HTTPS.' : undefined}
            spellcheck={false}
          />
        )}
        <TextField
          id="edit-description"
          label="Description (optional)"
          value={description}
          onValue={setDescription}
          maxLength={500}
          error={error?.forField('description')}
        />
        <EventPicker id="edit-events" value={events} onChange={setEvents} error={error?.forField('enabled_events')} />
        <button type="submit" class="button button-primary" disabled={busy}>
          Save changes
        </button>
      </form>
    </section>
  );
}
