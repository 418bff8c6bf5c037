import { useState } from 'preact/hooks';
import * as dashboard from '../../api/dashboard';
import type { IntegrationDetail } from '../../api/types';
import { useAnnounce } from '../../components/Announcer';
import { ModeBadge } from '../../components/Badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';

/** Getting started (ticks itself from real data) and the test/live switch. */
export function OverviewTab({
  integration,
  onChange,
}: {
  integration: IntegrationDetail;
  onChange: () => Promise<void>;
}) {
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const base = `/integrations/${integration.id}`;
  const o = integration.onboarding;
  const steps = [
    {
      done: o.api_key_created,
      title: 'Generate an API key',
      detail: 'A test key (wth_…) authenticates your system against /api/v1.',
      action: <a href={`${base}/keys`}>Go to API keys</a>,
    },
    {
      done: o.endpoint_added,
      title: 'Add a webhook endpoint',
      detail: 'The HTTPS URL where WatchTraderHub POSTs signed events, with the events you want.',
      action: <a href={`${base}/settings`}>Go to Settings</a>,
    },
    {
      done: o.test_event_delivered,
      title: 'Deliver a test event',
      detail: 'Send the test event from an endpoint’s page; this ticks when your endpoint answers 2xx.',
      action: <a href={`${base}/settings`}>Choose an endpoint</a>,
    },
    {
      done: o.live,
      title: 'Switch to live mode',
      detail: 'Live API keys start working and live events reach your live endpoints.',
      action: null,
    },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  const live = integration.live_enabled;

  return (
    <>
      <section class="card" aria-labelledby="getting-started">
        <h2 id="getting-started">Getting started</h2>
        <p class="hint" id="progress">
          {doneCount} of {steps.length} steps done.
        </p>
        <ol class="checklist" aria-describedby="progress" data-testid="checklist">
          {steps.map((s) => (
            <li key={s.title} class={s.done ? 'done' : undefined}>
              <span class="checkmark" aria-hidden="true">
                {s.done ? '✓' : ''}
              </span>
              <div>
                <strong>{s.title}</strong> <span class="sr-only">{s.done ? '(done)' : '(not done yet)'}</span>
                <span class={s.done ? 'badge badge-success' : 'badge badge-neutral'} aria-hidden="true">
                  {s.done ? 'Done' : 'To do'}
                </span>
                <p class="hint">{s.detail}</p>
                {!s.done && s.action ? <p>{s.action}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      </section>

      <section class="card" aria-labelledby="mode-heading">
        <h2 id="mode-heading">Mode</h2>
        <p>
          This integration is in <ModeBadge live={live} suffix="mode" />.{' '}
          {live
            ? 'Live API keys work and live-mode events are delivered to your live endpoints.'
            : 'Only test API keys work; requests with live keys are refused (403 livemode_disabled).'}
        </p>
        <button type="button" class={live ? 'button' : 'button button-primary'} onClick={() => setConfirming(true)}>
          {live ? 'Switch back to test mode' : 'Switch to live mode'}
        </button>
      </section>

      {confirming ? (
        <ConfirmDialog
          title={live ? 'Switch back to test mode?' : 'Switch to live mode?'}
          confirmLabel={live ? 'Switch to test mode' : 'Switch to live mode'}
          destructive={live}
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await dashboard.setIntegrationLive(integration.id, !live);
            announce(live ? 'Switched back to test mode.' : 'Switched to live mode.');
            await onChange();
          }}
        >
          {live ? (
            <ul>
              <li>Requests with this integration’s live API keys are refused at once (403 livemode_disabled).</li>
              <li>Test keys and test endpoints keep working.</li>
              <li>You can switch to live again at any time; no key or endpoint is deleted.</li>
            </ul>
          ) : (
            <ul>
              <li>This integration’s live API keys start working against real data.</li>
              <li>Live-mode events are delivered to your live endpoints (HTTPS only).</li>
              <li>Test keys and test endpoints keep working, separate from live data.</li>
            </ul>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
