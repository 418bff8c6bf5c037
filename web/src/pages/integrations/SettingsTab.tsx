import type { Integration } from '../../api/types';

export function SettingsTab(_props: { integration: Integration; path?: string }) {
  return <h2>Webhook endpoints</h2>;
}
