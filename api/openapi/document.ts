import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function generateOpenApiDocument(registry: OpenAPIRegistry, serverUrl?: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
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
}
