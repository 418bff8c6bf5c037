import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import * as dashboard from '../../api/dashboard';
import { endpointLabel, type IntegrationDetail, type WebhookEndpointWithSecret } from '../../api/types';
import { useAnnounce } from '../../components/Announcer';
import { ModeBadge, StatusBadge } from '../../components/Badges';
import { describeEvents, EventPicker } from '../../components/EventPicker';
import { FormError, TextField } from '../../components/FormField';
import { RelativeTime } from '../../components/RelativeTime';
import { SecretField } from '../../components/SecretField';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';
import { EndpointPage } from './EndpointPage';
import { disabledReason } from './endpointText';

/** Settings: webhook endpoints per mode (`?mode=live`), and the add form. */
export function SettingsTab(props: { integration: IntegrationDetail; path?: string; onChange: () => Promise<void> }) {
  const endpointId = /^endpoints\/([^/]+)$/.exec(props.path ?? '')?.[1];
  if (endpointId) return <EndpointPage integration={props.integration} endpointId={endpointId} />;
  return <EndpointList {...props} />;
}

function EndpointList({ integration, onChange }: { integration: IntegrationDetail; onChange: () => Promise<void> }) {
  const { query } = useLocation();
  const livemode = query.mode === 'live';
  const base = `/integrations/${integration.id}/settings`;
  const list = useAsync(() => dashboard.listEndpoints(integration.id, livemode), [integration.id, livemode]);
  const [created, setCreated] = useState<WebhookEndpointWithSecret | null>(null);

  return (
    <>
      <h2>Webhook endpoints</h2>
      <p class="lede">
        WatchTraderHub POSTs each event to your endpoints, signed with the endpoint’s secret in the{' '}
        <code>WTH-Signature</code> header. Test and live endpoints are separate.
      </p>
      <nav aria-label="Mode">
        <div class="segmented">
          <a href={base} aria-current={!livemode ? 'page' : undefined}>
            Test endpoints
          </a>
          <a href={`${base}?mode=live`} aria-current={livemode ? 'page' : undefined}>
            Live endpoints
          </a>
        </div>
      </nav>

      {created ? (
        <div class="card" data-testid="new-endpoint">
          <h3>Endpoint added</h3>
          <SecretField
            label="Signing secret"
            value={created.secret}
            warning="Put it in your receiver’s configuration now: verify WTH-Signature with it. It will not be shown again (you can rotate it)."
          />
          <p>
            <a href={`${base}/endpoints/${created.id}`}>Open the endpoint</a> to send a test event.
          </p>
        </div>
      ) : null}

      {list.error ? <FormError message={errorMessage(list.error)} /> : null}
      {list.data ? (
        <Table
          caption={`${livemode ? 'Live' : 'Test'} webhook endpoints`}
          columns={['URL', 'Description', 'Events', 'Status', 'Created']}
          testId="endpoints"
          empty={
            list.data.data.length === 0 ? `No ${livemode ? 'live' : 'test'} endpoints yet. Add one below.` : undefined
          }
        >
          {list.data.data.map((e) => (
            <tr key={e.id}>
              <th scope="row">
                <a href={`${base}/endpoints/${e.id}`} class="mono">
                  {endpointLabel(e)}
                </a>
              </th>
              <td>{e.description ?? <span class="hint">—</span>}</td>
              <td>{describeEvents(e.enabled_events)}</td>
              <td>
                {e.status === 'enabled' ? (
                  <StatusBadge tone="success" label="Enabled" />
                ) : (
                  <>
                    <StatusBadge tone="danger" label="Disabled" />
                    <p class="hint">
                      {disabledReason(e)} Since <RelativeTime iso={e.disabled_at} />.
                    </p>
                  </>
                )}
              </td>
              <td>
                <RelativeTime iso={e.created_at} />
              </td>
            </tr>
          ))}
        </Table>
      ) : list.loading ? (
        <p aria-busy="true">Loading endpoints…</p>
      ) : null}

      <AddEndpoint
        key={String(livemode)}
        integration={integration}
        livemode={livemode}
        onCreated={async (e) => {
          setCreated(e);
          await Promise.all([list.reload(), onChange()]);
        }}
      />
    </>
  );
}

function AddEndpoint(props: {
  integration: IntegrationDetail;
  livemode: boolean;
  onCreated: (e: WebhookEndpointWithSecret) => Promise<void>;
}) {
  const announce = useAnnounce();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await dashboard.createEndpoint(props.integration.id, {
        url: url.trim(),
        description: description.trim() || null,
        // Nothing chosen under "Selected events" is sent as is: the API names the problem.
        enabled_events: events,
        livemode: props.livemode,
      });
      setUrl('');
      setDescription('');
      setEvents(['*']);
      announce(`Endpoint added. Copy its signing secret now: it is shown only once.`);
      await props.onCreated(created);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (name: string) => error?.forField(name);
  const named = error && ['url', 'description', 'enabled_events'].some((f) => error.forField(f));
  return (
    <section class="card" aria-labelledby="add-endpoint">
      <h3 id="add-endpoint">
        Add a {props.livemode ? 'live' : 'test'} endpoint <ModeBadge live={props.livemode} />
      </h3>
      <form onSubmit={submit} noValidate>
        <FormError message={error && !named ? error.message : null} />
        <TextField
          id="endpoint-url"
          label="Endpoint URL"
          type="url"
          value={url}
          onValue={setUrl}
          placeholder="https://example.com/webhooks/wth"
          hint={props.livemode ? 'Live endpoints must use HTTPS.' : 'HTTPS recommended.'}
          error={fieldError('url')}
          spellcheck={false}
        />
        <TextField
          id="endpoint-description"
          label="Description (optional)"
          value={description}
          onValue={setDescription}
          maxLength={500}
          error={fieldError('description')}
        />
        <EventPicker id="endpoint-events" value={events} onChange={setEvents} error={fieldError('enabled_events')} />
        <button type="submit" class="button button-primary" disabled={busy}>
          Add endpoint
        </button>
      </form>
    </section>
  );
}
