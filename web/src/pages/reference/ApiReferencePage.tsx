import { Layout } from '../../shell/Layout';

// Placeholder owned by web-b (issue #8): the OpenAPI reference.
export function ApiReferencePage() {
  return (
    <Layout title="API reference">
      <h1>API reference</h1>
      <p>This page is coming soon.</p>
    </Layout>
  );
}
