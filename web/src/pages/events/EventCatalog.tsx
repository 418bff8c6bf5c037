import { FormError } from '../../components/FormField';
import { errorMessage, useAsync } from '../../components/useAsync';
import { ApiError } from '../../api/client';
import { Layout } from '../../shell/Layout';

interface WebhookOp {
  summary?: string;
  description?: string;
  requestBody?: { content?: { 'application/json'?: { example?: unknown } } };
}

/** The served OpenAPI document's `webhooks`: the same text and examples integrators read. */
async function loadCatalog(): Promise<{ type: string; description: string; example: unknown }[]> {
  const res = await fetch('/api/v1/openapi.json', { credentials: 'same-origin' });
  if (!res.ok) {
    throw new ApiError(res.status, {
      type: 'api_error',
      code: 'openapi_unavailable',
      message: `The API description could not be loaded (HTTP ${res.status}).`,
    });
  }
  const doc = (await res.json()) as { webhooks?: Record<string, { post?: WebhookOp }> };
  return Object.entries(doc.webhooks ?? {}).map(([type, item]) => ({
    type,
    description: item.post?.description ?? '',
    example: item.post?.requestBody?.content?.['application/json']?.example,
  }));
}

export function EventCatalog() {
  const catalog = useAsync(loadCatalog, []);
  return (
    <Layout title="Event catalog">
      <p class="breadcrumb">
        <a href="/events">Events</a> › Catalog
      </p>
      <h1>Event catalog</h1>
      <p class="lede">
        Every event type your endpoints can subscribe to (<code>*</code> for all, <code>listing.*</code> for a
        namespace), with an example of the body we POST. The same descriptions and examples are in the{' '}
        <a href="/reference">API reference</a>.
      </p>
      {catalog.error ? <FormError message={errorMessage(catalog.error)} /> : null}
      {!catalog.data && !catalog.error ? <p class="loading">Loading the catalog…</p> : null}
      {catalog.data ? (
        <nav aria-label="Event types">
          <ul class="inline-list">
            {catalog.data.map((t) => (
              <li key={t.type}>
                <a href={`#${t.type}`}>{t.type}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {catalog.data?.map((t) => (
        <section key={t.type} id={t.type} class="card" aria-labelledby={`${t.type}-title`} data-event-type={t.type}>
          <h2 id={`${t.type}-title`} class="mono">
            {t.type}
          </h2>
          <p>{t.description}</p>
          <h3>Example payload</h3>
          <pre class="mono" tabIndex={0} aria-label={`Example payload of ${t.type}`}>
            {JSON.stringify(t.example, null, 2)}
          </pre>
        </section>
      ))}
    </Layout>
  );
}
