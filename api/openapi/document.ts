import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/** No string the API takes or gives can hold U+0000 (PostgreSQL text cannot store it; requests with one are 400s). */
const NO_NUL = '^[^\\u0000]*$';

export function generateOpenApiDocument(registry: OpenAPIRegistry, serverUrl?: string) {
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'WatchTraderHub Custom Integration API',
      version: 'v1',
      description:
        'Read listings, write customers and orders, and receive signed webhooks. ' +
        'Authenticate with `Authorization: Bearer wth_...`; test keys see only test data.',
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
  });
  return withoutNul(doc);
}

/** Says so on every free-form string schema (one without a pattern, format or fixed values). */
function withoutNul<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(withoutNul);
  else if (node && typeof node === 'object') {
    const s = node as Record<string, unknown>;
    const isString = s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));
    if (isString && !('pattern' in s) && !('format' in s) && !('enum' in s) && !('const' in s)) s.pattern = NO_NUL;
    for (const v of Object.values(s)) withoutNul(v);
  }
  return node;
}
