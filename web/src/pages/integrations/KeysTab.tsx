import type { Integration } from '../../api/types';

export function KeysTab(_props: { integration: Integration }) {
  return <h2>API keys</h2>;
}
