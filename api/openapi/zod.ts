// Import zod from here in API schemas: it carries the `.openapi()` extension that lets one
// schema both validate and describe itself in the OpenAPI document.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
