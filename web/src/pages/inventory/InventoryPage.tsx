import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import * as activity from '../../api/activity';
import { ApiError } from '../../api/client';
import { useAnnounce } from '../../components/Announcer';
import { StatusBadge } from '../../components/Badges';
import { FormError } from '../../components/FormField';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';
import { Layout } from '../../shell/Layout';
import { FiredNotice } from './FiredNotice';
import { ListingForm } from './ListingForm';
import { formatMoney } from './money';

/** Listings of one mode: add, edit, publish to the Custom Integration channel, sold / in stock. */
export function InventoryPage() {
  const { url } = useLocation();
  const livemode = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?')) : '').get('mode') === 'live';
  const announce = useAnnounce();
  const list = useAsync(() => activity.listListings(livemode), [livemode]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [last, setLast] = useState<{ what: string; fired: activity.FiredEvent[] } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const rows = list.data?.data ?? [];

  const done = async (what: string, fired: activity.FiredEvent[]) => {
    setLast({ what, fired });
    announce(`${what} ${activity.firedText(fired)}`);
    await list.reload();
  };
  const act = async (l: activity.Listing, action: activity.ListingAction, what: string) => {
    setActionError(null);
    try {
      const res = await activity.listingAction(l.id, action);
      await done(`${l.brand} ${l.model}: ${what}.`, res.fired_events);
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
    }
  };

  return (
    <Layout title="Inventory">
      <div class="page-title">
        <h1>Inventory</h1>
      </div>
      <p class="lede">
        Your listings. Publishing one sends it to the Custom Integration channel; changes to published listings fire
        events to your endpoints. Unpublished listings change silently.
      </p>
      <nav aria-label="Mode">
        <ul class="tabs">
          {[false, true].map((live) => (
            <li key={String(live)}>
              <a
                href={`/inventory?mode=${live ? 'live' : 'test'}`}
                aria-current={live === livemode ? 'page' : undefined}
              >
                {live ? 'Live' : 'Test'} listings
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <FiredNotice last={last} livemode={livemode} />
      <FormError message={actionError} />
      {list.error ? <FormError message={errorMessage(list.error)} /> : null}
      {!list.data && !list.error ? <p class="loading">Loading listings…</p> : null}
      {list.data ? (
        <Table
          caption={`${livemode ? 'Live' : 'Test'} listings`}
          testId="listing-table"
          columns={['Watch', 'Reference', 'Price', 'Stock', 'Channel', { label: 'Actions' }]}
          empty={
            rows.length === 0 ? (
              <p>
                No {livemode ? 'live' : 'test'} listings yet. Add one below, then publish it to fire your first event.
              </p>
            ) : null
          }
        >
          {rows.map((l) => (
            <tr key={l.id} data-listing-id={l.id}>
              <th scope="row">
                {l.brand} {l.model}
                {l.year ? ` (${l.year})` : ''}
              </th>
              <td class="mono">{l.reference}</td>
              <td>{formatMoney(l.price)}</td>
              <td>
                <StatusBadge
                  tone={l.status === 'sold' ? 'neutral' : 'success'}
                  label={l.status === 'sold' ? 'sold' : 'in stock'}
                />
              </td>
              <td>
                <StatusBadge
                  tone={l.published ? 'success' : 'neutral'}
                  label={l.published ? 'published' : 'not published'}
                />
              </td>
              <td class="row-actions">
                <button
                  type="button"
                  class="button button-small"
                  aria-expanded={editing === l.id}
                  onClick={() => setEditing(editing === l.id ? null : l.id)}
                >
                  Edit
                  <span class="sr-only">
                    {' '}
                    {l.brand} {l.model}
                  </span>
                </button>
                <button
                  type="button"
                  class="button button-small"
                  onClick={() =>
                    act(l, l.published ? 'unpublish' : 'publish', l.published ? 'unpublished' : 'published')
                  }
                >
                  {l.published ? 'Unpublish' : 'Publish'}
                  <span class="sr-only">
                    {' '}
                    {l.brand} {l.model}
                  </span>
                </button>
                <button
                  type="button"
                  class="button button-small"
                  onClick={() =>
                    act(
                      l,
                      l.status === 'sold' ? 'mark_in_stock' : 'mark_sold',
                      l.status === 'sold' ? 'back in stock' : 'sold',
                    )
                  }
                >
                  {l.status === 'sold' ? 'Mark in stock' : 'Mark sold'}
                  <span class="sr-only">
                    {' '}
                    {l.brand} {l.model}
                  </span>
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {editing && rows.find((l) => l.id === editing) ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">
            Edit {rows.find((l) => l.id === editing)!.brand} {rows.find((l) => l.id === editing)!.model}
          </h2>
          <ListingForm
            key={editing}
            idPrefix="edit"
            initial={rows.find((l) => l.id === editing)}
            submitLabel="Save changes"
            onCancel={() => setEditing(null)}
            onSubmit={async (input) => {
              const res = await activity.updateListing(editing, input);
              setEditing(null);
              await done(`${res.brand} ${res.model}: saved.`, res.fired_events);
            }}
          />
        </section>
      ) : null}
      <section aria-labelledby="add-title">
        <h2 id="add-title">Add a listing</h2>
        {adding ? (
          <ListingForm
            idPrefix="add"
            submitLabel="Add listing"
            onCancel={() => setAdding(false)}
            onSubmit={async (input) => {
              const res = await activity.createListing(livemode, input);
              setAdding(false);
              await done(`${res.brand} ${res.model}: added (not published yet).`, []);
            }}
          />
        ) : (
          <button type="button" class="button" onClick={() => setAdding(true)}>
            Add a {livemode ? 'live' : 'test'} listing
          </button>
        )}
      </section>
      <p class="hint">
        Every event your actions fired is on the <a href={`/events?mode=${livemode ? 'live' : 'test'}`}>Events</a> page.
      </p>
    </Layout>
  );
}
