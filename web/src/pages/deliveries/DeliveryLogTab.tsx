import type { Integration } from '../../api/types';

// Placeholder owned by web-b (issue #8): the Delivery Log tab of an integration. Rendered
// inside IntegrationPage (header and tabs are already there); `deliveryId` is set on
// /integrations/:id/deliveries/:deliveryId.
export function DeliveryLogTab(_props: { integration: Integration; deliveryId?: string }) {
  return <p>The Delivery Log is coming soon.</p>;
}
