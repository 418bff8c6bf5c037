import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import * as dashboard from '../../api/dashboard';
import { useAnnounce } from '../../components/Announcer';
import { ModeBadge } from '../../components/Badges';
import { FormError, TextField } from '../../components/FormField';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';
import { Layout } from '../../shell/Layout';

/** Channels > Custom Integration: the dealer's integrations, and a form to add one. */
export function IntegrationsPage() {
  const list = useAsync(() => dashboard.listIntegrations(), []);
  const announce = useAnnounce();
  const { route } = useLocation();
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await dashboard.createIntegration(name);
      announce(`Integration “${created.name}” created in test mode.`);
      route(`/integrations/${created.id}`);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Layout title="Custom Integration">
      <p class="breadcrumb">Channels</p>
      <h1>Custom Integration</h1>
      <p class="lede">
        Connect your own systems to WatchTraderHub: an API key for the REST API, and signed webhooks to your HTTPS
        endpoint. Each integration starts in test mode.
      </p>
      {list.error ? <FormError message={errorMessage(list.error)} /> : null}
      {list.data ? (
        <Table
          caption="Your Custom Integrations"
          columns={['Name', 'Mode', 'Created']}
          testId="integrations"
          empty={list.data.data.length === 0 ? 'No integrations yet. Create one below.' : undefined}
        >
          {list.data.data.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <a href={`/integrations/${i.id}`}>{i.name}</a>
              </th>
              <td>
                <ModeBadge live={i.live_enabled} />
              </td>
              <td>
                <RelativeTime iso={i.created_at} />
              </td>
            </tr>
          ))}
        </Table>
      ) : list.loading ? (
        <p aria-busy="true">Loading integrations…</p>
      ) : null}

      <section class="card" aria-labelledby="new-integration">
        <h2 id="new-integration">New integration</h2>
        <p class="hint">Several are allowed, e.g. one per system you connect (shop, ERP, staging).</p>
        <form onSubmit={create} noValidate>
          <FormError message={error && !error.forField('name') ? error.message : null} />
          <TextField
            id="integration-name"
            label="Name"
            value={name}
            onValue={setName}
            maxLength={200}
            error={error?.forField('name')}
            hint="Only you see it, e.g. “Shop sync”."
          />
          <button type="submit" class="button button-primary" disabled={busy}>
            Create integration
          </button>
        </form>
      </section>
    </Layout>
  );
}
