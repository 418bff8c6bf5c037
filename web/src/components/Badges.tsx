/** TEST / LIVE as words, not only colour. */
export function ModeBadge({ live, suffix }: { live: boolean; suffix?: string }) {
  return (
    <span
      class={live ? 'badge badge-live' : 'badge badge-test'}
      title={live ? 'Live mode: real data, real deliveries' : 'Test mode: test data only'}
      data-testid="mode-badge"
    >
      {live ? 'LIVE' : 'TEST'}
      {suffix ? ` ${suffix}` : <span class="sr-only"> mode</span>}
    </span>
  );
}

export type Tone = 'success' | 'warning' | 'danger' | 'neutral';
const ICON: Record<Tone, string> = { success: '✓', warning: '!', danger: '✕', neutral: '•' };

/** A status as text with a matching symbol; the colour only repeats what the words say. */
export function StatusBadge({ tone, label }: { tone: Tone; label: string }) {
  return (
    <span class={`badge badge-${tone}`}>
      <span aria-hidden="true">{ICON[tone]} </span>
      {label}
    </span>
  );
}
