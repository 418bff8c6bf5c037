import { Layout } from '../../shell/Layout';

// Placeholder owned by web-b (issue #8): orders from every channel.
export function OrdersPage() {
  return (
    <Layout title="Orders">
      <h1>Orders</h1>
      <p>This page is coming soon.</p>
    </Layout>
  );
}
