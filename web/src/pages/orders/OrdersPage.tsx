import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import * as activity from '../../api/activity';
import { ApiError } from '../../api/client';
import { useAnnounce } from '../../components/Announcer';
import { StatusBadge, type Tone } from '../../components/Badges';
import { FormError } from '../../components/FormField';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';
import { Layout } from '../../shell/Layout';
import { FiredNotice } from '../inventory/FiredNotice';
import { formatMoney } from '../inventory/money';

const TONE: Record<activity.Order['status'], Tone> = { pending: 'warning', fulfilled: 'success', cancelled: 'neutral' };

/** Orders of one mode from every channel: view each, fulfil the matched pending ones. */
export function OrdersPage() {
  const { url } = useLocation();
  const livemode = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?')) : '').get('mode') === 'live';
  const announce = useAnnounce();
  const list = useAsync(() => activity.listOrders(livemode), [livemode]);
  const [last, setLast] = useState<{ what: string; fired: activity.FiredEvent[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rows = list.data?.data ?? [];

  const fulfil = async (o: activity.Order) => {
    setError(null);
    try {
      const res = await activity.fulfilOrder(o.id);
      const what = `Order ${o.external_id} fulfilled.`;
      setLast({ what, fired: res.fired_events });
      announce(`${what} ${activity.firedText(res.fired_events)}`);
      await list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
    }
  };

  return (
    <Layout title="Orders">
      <h1>Orders</h1>
      <p class="lede">
        Orders from every channel (your own systems through the API, and other channels). Fulfil a pending order once it
        is matched to a listing and shipped: that fires <code>order.fulfilled</code>.
      </p>
      <nav aria-label="Mode">
        <ul class="tabs">
          {[false, true].map((live) => (
            <li key={String(live)}>
              <a href={`/orders?mode=${live ? 'live' : 'test'}`} aria-current={live === livemode ? 'page' : undefined}>
                {live ? 'Live' : 'Test'} orders
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <FiredNotice last={last} livemode={livemode} />
      <FormError message={error} />
      {list.error ? <FormError message={errorMessage(list.error)} /> : null}
      {!list.data && !list.error ? <p class="loading">Loading orders…</p> : null}
      {list.data ? (
        <Table
          caption={`${livemode ? 'Live' : 'Test'} orders`}
          testId="order-table"
          columns={['Order', 'Buyer', 'Total', 'Status', 'Listing', 'Ordered', { label: 'Actions' }]}
          empty={
            rows.length === 0 ? (
              <p>
                No {livemode ? 'live' : 'test'} orders yet. Report one with <code>POST /api/v1/orders</code> (see the{' '}
                <a href="/reference">API reference</a>); it appears here.
              </p>
            ) : null
          }
        >
          {rows.map((o) => (
            <tr key={o.id} data-order-id={o.id}>
              <th scope="row">
                <details>
                  <summary class="mono">{o.external_id}</summary>
                  <ul>
                    {o.line_items.map((li, i) => (
                      <li key={i}>
                        {li.quantity} × <span class="mono">{li.sku}</span> at{' '}
                        {formatMoney({ amount: li.unit_amount, currency: o.currency })}
                      </li>
                    ))}
                  </ul>
                  <p class="hint mono">{o.id}</p>
                </details>
              </th>
              <td>{o.buyer ? `${o.buyer.name} (${o.buyer.country})` : '—'}</td>
              <td>{formatMoney({ amount: o.total_amount, currency: o.currency })}</td>
              <td>
                <StatusBadge tone={TONE[o.status]} label={o.status} />
              </td>
              <td>{o.matched_listing_id ? 'matched' : 'not matched'}</td>
              <td>
                <RelativeTime iso={o.ordered_at ?? o.created_at} />
              </td>
              <td>
                {o.status === 'pending' && o.matched_listing_id ? (
                  <button type="button" class="button button-small" onClick={() => fulfil(o)}>
                    Fulfil<span class="sr-only"> order {o.external_id}</span>
                  </button>
                ) : o.status === 'pending' ? (
                  <span class="hint">Match it to a listing first</span>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Layout>
  );
}
