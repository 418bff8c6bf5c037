import type { Integration } from '../../api/types';

export function OverviewTab(_props: { integration: Integration; onChange: () => Promise<void> }) {
  return <h2>Getting started</h2>;
}
