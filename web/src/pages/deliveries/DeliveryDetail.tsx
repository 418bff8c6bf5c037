import { useState } from 'preact/hooks';
import * as activity from '../../api/activity';
import { ApiError } from '../../api/client';
import { useAnnounce } from '../../components/Announcer';
import { FormError } from '../../components/FormField';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { errorMessage, useAsync } from '../../components/useAsync';
import { DeliveryStatusBadge, attemptResult } from './DeliveryStatusBadge';
import { usePolling } from './usePolling';

/** One delivery: its state, Retry now, every attempt (headers sent, response preview), the event. */
export function DeliveryDetail({ id, livemode, backHref }: { id: string; livemode: boolean; backHref: string }) {
  const announce = useAnnounce();
  const detail = useAsync(() => activity.getDelivery(id, livemode), [id, livemode]);
  const [retryError, setRetryError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);
  const d = detail.data;
  // A pending delivery changes by itself (next attempt, a retry just asked for): keep it current.
  usePolling(
    async () => {
      const before = detail.data;
      await detail.reload();
      void before;
    },
    1500,
    d?.status === 'pending',
  );

  const retry = async () => {
    setRetryError(null);
    setRetrying(true);
    try {
      const res = await activity.retryDelivery(id, livemode);
      announce(`Retry of ${res.event_type} started: attempt ${res.attempt_count + 1} is being sent.`);
      await detail.reload();
    } catch (err) {
      setRetryError(err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
    } finally {
      setRetrying(false);
    }
  };

  return (
    <section aria-labelledby="delivery-title">
      <p class="breadcrumb">
        <a href={backHref}>← Back to the Delivery Log</a>
      </p>
      {detail.error ? <FormError message={errorMessage(detail.error)} /> : null}
      {!d && !detail.error ? <p class="loading">Loading the delivery…</p> : null}
      {d ? (
        <>
          <div class="page-title">
            <h2 id="delivery-title">
              {d.event_type} <span class="mono">{d.event_id}</span>
            </h2>
            <span data-testid="delivery-status">
              <DeliveryStatusBadge status={d.status} />
            </span>
          </div>
          <dl class="facts">
            <dt>Delivery</dt>
            <dd class="mono">{d.id}</dd>
            <dt>Endpoint</dt>
            <dd class="mono">{d.endpoint_id}</dd>
            <dt>Attempts</dt>
            <dd data-testid="attempt-count">{d.attempt_count}</dd>
            <dt>Next retry</dt>
            <dd data-testid="next-retry">
              {d.status === 'pending' && d.next_attempt_at ? (
                <RelativeTime iso={d.next_attempt_at} />
              ) : d.status === 'failed' ? (
                'None: retries are used up. Retry now to send it again.'
              ) : (
                '—'
              )}
            </dd>
            <dt>Created</dt>
            <dd>
              <RelativeTime iso={d.created_at} />
            </dd>
          </dl>
          <div class="actions">
            <button
              type="button"
              class="button button-primary"
              onClick={retry}
              disabled={retrying || d.status === 'succeeded'}
              aria-describedby={d.status === 'succeeded' ? 'retry-hint' : undefined}
            >
              Retry now
            </button>
            {d.status === 'succeeded' ? (
              <span id="retry-hint" class="hint">
                This delivery already succeeded.
              </span>
            ) : null}
          </div>
          <FormError message={retryError} />

          <h3>Attempts</h3>
          <Table
            caption="Attempts, first to last"
            testId="attempt-table"
            columns={['#', 'Trigger', 'Started', 'Duration', 'Result']}
            empty={d.attempts.length === 0 ? <p>No attempt yet: the first one is on its way.</p> : null}
          >
            {d.attempts.map((a) => (
              <tr key={a.attempt_number} data-attempt={a.attempt_number}>
                <td>{a.attempt_number}</td>
                <td>{a.trigger}</td>
                <td>
                  <RelativeTime iso={a.started_at} />
                </td>
                <td>{a.duration_ms} ms</td>
                <td>
                  <span class={ok(a.status_code) ? 'result-ok' : 'result-bad'}>
                    <span aria-hidden="true">{ok(a.status_code) ? '✓ ' : '✕ '}</span>
                    {attemptResult(a)}
                  </span>
                </td>
              </tr>
            ))}
          </Table>
          {d.attempts.map((a) => (
            <details key={a.attempt_number} class="card">
              <summary>Attempt {a.attempt_number}: request headers and response</summary>
              <h4>Request headers sent</h4>
              <p class="hint">Signature values are hidden; the timestamp and the number of signatures are shown.</p>
              <pre class="mono">
                {Object.entries(a.request_headers)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join('\n')}
              </pre>
              <h4>Response body (first bytes)</h4>
              <pre class="mono">{a.response_body_preview || '(empty)'}</pre>
            </details>
          ))}
          <h3>Event body</h3>
          <pre class="mono" data-testid="event-body" tabIndex={0} aria-label="Event body">
            {JSON.stringify(d.event, null, 2)}
          </pre>
        </>
      ) : null}
    </section>
  );
}

const ok = (code: number | null) => code !== null && code >= 200 && code < 300;
