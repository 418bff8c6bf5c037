import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import * as activity from '../../api/activity';
import * as dashboard from '../../api/dashboard';
import { endpointLabel, type Integration } from '../../api/types';
import { FormError } from '../../components/FormField';
import { errorMessage, useAsync } from '../../components/useAsync';
import { DeliveryDetail } from './DeliveryDetail';
import { DeliveryFiltersForm } from './DeliveryFiltersForm';
import { DeliveryTable } from './DeliveryTable';
import { hasFilters, readView, writeView, type LogView } from './delivery-filters';
import { RecoverForm } from './RecoverForm';
import { usePolling } from './usePolling';

const PAGE_SIZE = 25;
const POLL_MS = 2000;

/** The Delivery Log tab of an integration: the list, or one delivery (`deliveryId`). */
export function DeliveryLogTab({ integration, deliveryId }: { integration: Integration; deliveryId?: string }) {
  const { url, route } = useLocation();
  const search = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  const view = readView(search, integration.live_enabled);
  const base = `/integrations/${integration.id}/deliveries`;
  if (deliveryId) {
    return <DeliveryDetail id={deliveryId} livemode={view.livemode} backHref={`${base}?${writeView(view)}`} />;
  }
  return <DeliveryLog integration={integration} view={view} go={(v) => route(`${base}?${writeView(v)}`)} />;
}

function DeliveryLog({ integration, view, go }: { integration: Integration; view: LogView; go: (v: LogView) => void }) {
  const query = activity.deliveryQuery(view.filters, {
    livemode: view.livemode,
    integrationId: integration.id,
    startingAfter: view.after || undefined,
    limit: PAGE_SIZE,
  });
  const list = useAsync(() => activity.listDeliveries(query), [query]);
  const endpoints = useAsync(
    () => dashboard.listEndpoints(integration.id, view.livemode),
    [integration.id, view.livemode],
  );
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  // Only the newest page updates itself: rows never move under a dealer reading older ones.
  const live = !view.after;
  usePolling(
    async () => {
      await list.reload();
      setUpdatedAt(new Date());
    },
    POLL_MS,
    live && !list.error,
  );

  const endpointUrl = (id: string) =>
    ((e) => (e ? endpointLabel(e) : id))(endpoints.data?.data.find((e) => e.id === id));
  const base = `/integrations/${integration.id}/deliveries`;
  const rows = list.data?.data ?? [];
  const filtered = hasFilters(view.filters);

  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Delivery Log</h2>
      <p class="lede">
        Every webhook sent to this integration's endpoints, newest first. Open a delivery to see each attempt, the
        headers sent and the event body.
      </p>
      <DeliveryFiltersForm
        view={view}
        endpoints={endpoints.data?.data ?? []}
        onApply={(filters, livemode) => go({ livemode, filters, after: '' })}
      />
      <p class="hint" data-testid="log-live-state">
        {live
          ? `Updates by itself every ${POLL_MS / 1000} seconds.`
          : 'Live updates are paused while you look at older deliveries.'}{' '}
        {!live ? <a href={`${base}?${writeView({ ...view, after: '' })}`}>Back to the newest</a> : null}
        {live && updatedAt ? <span class="sr-only"> Last updated {updatedAt.toLocaleTimeString()}.</span> : null}
      </p>
      {list.error ? <FormError message={errorMessage(list.error)} /> : null}
      {list.data ? (
        <DeliveryTable
          rows={rows}
          endpointUrl={endpointUrl}
          detailHref={(id) => `${base}/${id}?${writeView(view)}`}
          empty={
            rows.length > 0 ? null : filtered ? (
              <p>
                No deliveries match these filters.{' '}
                <a href={`${base}?${writeView({ livemode: view.livemode, filters: emptyFilters(), after: '' })}`}>
                  Clear the filters
                </a>
                .
              </p>
            ) : (
              <p>
                No deliveries in {view.livemode ? 'live' : 'test'} mode yet. Add an endpoint in{' '}
                <a href={`/integrations/${integration.id}/settings`}>Settings</a>, then send it a test event: it appears
                here within seconds.
              </p>
            )
          }
        />
      ) : (
        <p class="loading">Loading deliveries…</p>
      )}
      {list.data?.has_more && list.data.next_cursor ? (
        <p class="actions">
          <a class="button" href={`${base}?${writeView({ ...view, after: list.data.next_cursor })}`}>
            Older deliveries
          </a>
        </p>
      ) : null}
      <RecoverForm
        endpoints={endpoints.data?.data ?? []}
        livemode={view.livemode}
        defaultEndpointId={view.filters.endpointId}
        onRecovered={() => list.reload()}
      />
    </section>
  );
}

const emptyFilters = (): activity.DeliveryFilters => ({
  statuses: [],
  endpointId: '',
  eventType: '',
  from: '',
  to: '',
});
