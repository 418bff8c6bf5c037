import { z } from '../openapi/zod';

/**
 * The addresses the API accepts, said in the document as well as checked: `format: email`
 * alone admits forms zod refuses (quoted local parts, IP-literal domains, single-label domains),
 * so the schema carries zod's own pattern and a client can validate before sending.
 */
export const EmailSchema = z.email().max(320).openapi({
  pattern: z.regexes.email.source,
  description: 'An address like `name@example.com`: a dot-atom local part and a domain with a TLD of 2+ letters.',
});
