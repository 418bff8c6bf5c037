import { useLocation } from 'preact-iso';
import * as activity from '../../api/activity';
import { FormError } from '../../components/FormField';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';
import { Layout } from '../../shell/Layout';
import { EventTypeOptions } from '../../components/EventPicker';
import { EventCatalog } from './EventCatalog';

/** /events: what happened, newest first, each with its body; /events/catalog: every event type. */
export function EventsPage() {
  const { path } = useLocation();
  return path.startsWith('/events/catalog') ? <EventCatalog /> : <EventList />;
}

function EventList() {
  const { url, route } = useLocation();
  const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?')) : '');
  const livemode = q.get('mode') === 'live';
  const type = q.get('type') ?? '';
  const after = q.get('after') ?? '';
  const href = (p: { mode?: boolean; type?: string; after?: string }) => {
    const n = new URLSearchParams();
    n.set('mode', (p.mode ?? livemode) ? 'live' : 'test');
    const t = p.type ?? type;
    if (t) n.set('type', t);
    if (p.after) n.set('after', p.after);
    return `/events?${n.toString()}`;
  };
  const list = useAsync(
    () => activity.listEvents({ livemode, type: type || undefined, starting_after: after || undefined }),
    [livemode, type, after],
  );
  const rows = list.data?.data ?? [];

  return (
    <Layout title="Events">
      <div class="page-title">
        <h1>Events</h1>
      </div>
      <p class="lede">
        Everything that happened to your inventory, orders and customers, from every channel, newest first. Each event
        is sent to the endpoints subscribed to its type. See the <a href="/events/catalog">event catalog</a> for what
        each type means.
      </p>
      <form
        class="filters card"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          route(href({ mode: f.get('mode') === 'live', type: String(f.get('type') ?? ''), after: '' }));
        }}
      >
        <fieldset>
          <legend>Mode</legend>
          <label class="check">
            <input type="radio" name="mode" value="test" defaultChecked={!livemode} /> Test
          </label>
          <label class="check">
            <input type="radio" name="mode" value="live" defaultChecked={livemode} /> Live
          </label>
        </fieldset>
        <div class="field">
          <label for="events-type">Event type</label>
          <select id="events-type" name="type" value={type}>
            <EventTypeOptions />
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="button button-primary">
            Show events
          </button>
        </div>
      </form>
      {list.error ? <FormError message={errorMessage(list.error)} /> : null}
      {!list.data && !list.error ? <p class="loading">Loading events…</p> : null}
      {list.data ? (
        <Table
          caption={`${livemode ? 'Live' : 'Test'} events, newest first`}
          testId="event-table"
          columns={['Type', 'Event id', 'Created', 'Body']}
          empty={
            rows.length === 0 ? (
              <p>
                No {livemode ? 'live' : 'test'} events{type ? ` of type ${type}` : ''} yet. Publish or edit a listing on
                the <a href="/inventory">Inventory</a> page, or send a test event from an endpoint in your integration's
                Settings.
              </p>
            ) : null
          }
        >
          {rows.map((e) => (
            <tr key={e.id} data-event-id={e.id}>
              <td>{e.type}</td>
              <td class="mono">{e.id}</td>
              <td>
                <RelativeTime iso={e.created_at} />
              </td>
              <td>
                <details>
                  <summary>
                    Body<span class="sr-only"> of {e.id}</span>
                  </summary>
                  <pre class="mono">{JSON.stringify(e, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <p class="actions">
        {after ? <a href={href({ after: '' })}>Newest events</a> : null}{' '}
        {list.data?.has_more && list.data.next_cursor ? (
          <a class="button" href={href({ after: list.data.next_cursor })}>
            Older events
          </a>
        ) : null}
      </p>
    </Layout>
  );
}
