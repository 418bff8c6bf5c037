import type { FiredEvent } from '../../api/activity';

/** What the last action did and which events it fired, kept on screen (the live region fades). */
export function FiredNotice({
  last,
  livemode,
}: {
  last: { what: string; fired: FiredEvent[] } | null;
  livemode: boolean;
}) {
  if (!last) return null;
  return (
    <div class="notice" data-testid="fired-notice">
      <p>
        {last.what}{' '}
        {last.fired.length === 0 ? (
          'No event fired: nothing an integration can see changed.'
        ) : (
          <>
            Fired{' '}
            {last.fired.map((e, i) => (
              <span key={e.id}>
                {i > 0 ? ', ' : ''}
                <code>{e.type}</code>{' '}
                <a href={`/events?mode=${livemode ? 'live' : 'test'}`} class="mono">
                  {e.id}
                </a>
              </span>
            ))}
            .
          </>
        )}
      </p>
    </div>
  );
}
