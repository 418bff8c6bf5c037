import { useEffect, useRef, useState } from 'preact/hooks';
import { Layout } from '../../shell/Layout';

// The renderer (Redoc's standalone bundle, ~1 MB) is a separate file the build copies into
// assets/ and names in this meta tag; it loads only on this page, never with the app.
declare global {
  interface Window {
    Redoc?: {
      init(specUrl: string, options: Record<string, unknown>, element: HTMLElement, cb?: (e?: unknown) => void): void;
    };
  }
}

/**
 * Redoc styles itself with inline <style> elements, which the app's CSP forbids. The server
 * relaxes only `style-src` for the /reference document, so this page needs a document of its
 * own: reached by an in-app link, it reloads itself once.
 */
const DOCUMENT_PATH = location.pathname;

function loadRenderer(): Promise<void> {
  if (window.Redoc) return Promise.resolve();
  const src = document.querySelector<HTMLMetaElement>('meta[name="wth-reference-renderer"]')?.content;
  if (!src) return Promise.reject(new Error('The reference renderer is not part of this build.'));
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('The reference renderer could not be loaded.'));
    document.head.appendChild(s);
  });
}

export function ApiReferencePage() {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');
  const ownDocument = DOCUMENT_PATH.startsWith('/reference');

  useEffect(() => {
    if (!ownDocument) {
      location.replace(location.href);
      return;
    }
    let cancelled = false;
    loadRenderer()
      .then(() => {
        if (cancelled || !container.current || !window.Redoc) return;
        window.Redoc.init(
          '/api/v1/openapi.json',
          {
            // Search runs in a blob: worker, which the CSP forbids; the menu lists every operation.
            disableSearch: true,
            hideDownloadButton: false,
            expandResponses: '',
            jsonSampleExpandLevel: 1,
            theme: {
              typography: { fontFamily: 'system-ui, sans-serif', headings: { fontFamily: 'system-ui, sans-serif' } },
            },
          },
          container.current,
          (err?: unknown) => setState(err ? 'The API description could not be rendered.' : 'ready'),
        );
      })
      .catch((e: Error) => setState(e.message));
    return () => {
      cancelled = true;
    };
  }, [ownDocument]);

  return (
    <Layout title="API reference">
      <h1>API reference</h1>
      <p class="lede">
        The REST API and every webhook event, from the OpenAPI 3.1 document this server serves at{' '}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (also as a{' '}
        <a href="/openapi/v1.postman.json">Postman collection</a>). Webhook payloads are under “Webhooks”; the{' '}
        <a href="/events/catalog">event catalog</a> has them with examples.
      </p>
      {state === 'loading' ? <p class="loading">Loading the reference…</p> : null}
      {state !== 'loading' && state !== 'ready' ? (
        <p class="form-error" role="alert">
          {state}
        </p>
      ) : null}
      <div ref={container} class="reference" data-testid="api-reference" />
    </Layout>
  );
}
