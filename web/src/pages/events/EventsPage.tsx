import { Layout } from '../../shell/Layout';

// Placeholder owned by web-b (issue #8): events and the event catalog.
export function EventsPage() {
  return (
    <Layout title="Events">
      <h1>Events</h1>
      <p>This page is coming soon.</p>
    </Layout>
  );
}
