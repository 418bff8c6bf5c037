import { Layout } from '../../shell/Layout';

// Placeholder owned by web-b (issue #8): listings.
export function InventoryPage() {
  return (
    <Layout title="Inventory">
      <h1>Inventory</h1>
      <p>This page is coming soon.</p>
    </Layout>
  );
}
