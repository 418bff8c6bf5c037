import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import * as dashboard from '../../api/dashboard';
import type { ApiKey, IntegrationDetail, NewApiKey } from '../../api/types';
import { useAnnounce } from '../../components/Announcer';
import { ModeBadge, StatusBadge } from '../../components/Badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormError, TextField } from '../../components/FormField';
import { RelativeTime } from '../../components/RelativeTime';
import { SecretField } from '../../components/SecretField';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';

const LIVE_REFUSED = 'Refused while this integration is in test mode: requests get 403 livemode_disabled.';

function keyStatus(key: ApiKey, live: boolean) {
  if (key.revoked_at) return <StatusBadge tone="neutral" label="Revoked" />;
  if (key.livemode && !live) return <StatusBadge tone="warning" label="Refused in test mode" />;
  return <StatusBadge tone="success" label="Active" />;
}

/** API keys: generate (shown once), list by prefix, revoke with confirmation. */
export function KeysTab({ integration, onChange }: { integration: IntegrationDetail; onChange: () => Promise<void> }) {
  const keys = useAsync(() => dashboard.listApiKeys(integration.id), [integration.id]);
  const announce = useAnnounce();
  const [livemode, setLivemode] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const live = integration.live_enabled;

  const generate = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await dashboard.createApiKey(integration.id, { livemode, name: name.trim() || null });
      setCreated(key);
      setName('');
      announce(`${livemode ? 'Live' : 'Test'} API key generated. Copy it now: it is shown only once.`);
      await Promise.all([keys.reload(), onChange()]);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>API keys</h2>
      <p class="lede">
        Your system sends a key as <code>Authorization: Bearer wth_…</code>. Test keys see only test data; live keys
        work only while the integration is in live mode.
      </p>

      {created ? (
        <div data-testid="new-key">
          <SecretField
            label={`New ${created.livemode ? 'live' : 'test'} API key`}
            value={created.key}
            warning="Copy it now and store it in your system’s secrets: WatchTraderHub keeps only a hash and will not show it again."
          />
          {created.livemode && !live ? (
            <p class="notice">{LIVE_REFUSED} Switch to live mode on the Overview tab.</p>
          ) : null}
        </div>
      ) : null}

      {keys.error ? <FormError message={errorMessage(keys.error)} /> : null}
      {keys.data ? (
        <Table
          caption="API keys"
          columns={['Key', 'Name', 'Mode', 'Status', 'Created', 'Last used', { label: 'Actions', hidden: true }]}
          testId="api-keys"
          empty={keys.data.data.length === 0 ? 'No keys yet. Generate one below.' : undefined}
        >
          {keys.data.data.map((k) => (
            <tr key={k.id}>
              <th scope="row">
                <code>{k.prefix}…</code>
              </th>
              <td>{k.name ?? <span class="hint">—</span>}</td>
              <td>
                <ModeBadge live={k.livemode} />
              </td>
              <td>
                {keyStatus(k, live)}
                {k.livemode && !live && !k.revoked_at ? <p class="hint">{LIVE_REFUSED}</p> : null}
                {k.revoked_at ? (
                  <p class="hint">
                    <RelativeTime iso={k.revoked_at} />
                  </p>
                ) : null}
              </td>
              <td>
                <RelativeTime iso={k.created_at} />
              </td>
              <td>
                <RelativeTime iso={k.last_used_at} fallback="Never" />
              </td>
              <td>
                {k.revoked_at ? null : (
                  <button
                    type="button"
                    class="button button-small"
                    aria-label={`Revoke key ${k.prefix}…`}
                    onClick={() => setRevoking(k)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : keys.loading ? (
        <p aria-busy="true">Loading keys…</p>
      ) : null}

      <section class="card" aria-labelledby="generate-key">
        <h3 id="generate-key">Generate a key</h3>
        <form onSubmit={generate} noValidate>
          <FormError message={error && !error.forField('name') ? error.message : null} />
          <fieldset>
            <legend>Mode</legend>
            <label class="check">
              <input type="radio" name="key-mode" checked={!livemode} onChange={() => setLivemode(false)} />
              <span>
                Test <span class="hint">— test data only; works now</span>
              </span>
            </label>
            <label class="check">
              <input type="radio" name="key-mode" checked={livemode} onChange={() => setLivemode(true)} />
              <span>
                Live <span class="hint">— {live ? 'real data' : 'refused until you switch to live mode'}</span>
              </span>
            </label>
          </fieldset>
          <TextField
            id="key-name"
            label="Name (optional)"
            value={name}
            onValue={setName}
            maxLength={200}
            hint="Where the key is used, e.g. “ERP production”."
            error={error?.forField('name')}
          />
          <button type="submit" class="button button-primary" disabled={busy}>
            Generate {livemode ? 'live' : 'test'} key
          </button>
        </form>
      </section>

      {revoking ? (
        <ConfirmDialog
          title={`Revoke key ${revoking.prefix}…?`}
          confirmLabel="Revoke key"
          destructive
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await dashboard.revokeApiKey(integration.id, revoking.id);
            announce(`Key ${revoking.prefix}… revoked.`);
            await keys.reload();
          }}
        >
          <p>
            Requests with this {revoking.livemode ? 'live' : 'test'} key are refused from the next request on. This
            cannot be undone: generate a new key for any system still using it.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
