import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { findUnknownKey } from '../../api/validation';

const schema = z.object({
  name: z.string(),
  buyer: z.object({ email: z.string() }).optional(),
  items: z.array(z.object({ sku: z.string() })).optional(),
  meta: z.record(z.string(), z.string()).optional(),
  when: z
    .string()
    .transform((s) => new Date(s))
    .optional(),
});

const unknownIn = (input: unknown) => findUnknownKey(input, schema.parse(input));

test('finds the first key the schema dropped, with its path', () => {
  assert.equal(unknownIn({ name: 'a' }), null);
  assert.equal(unknownIn({ name: 'a', colour: 1 }), 'colour');
  assert.equal(unknownIn({ name: 'a', buyer: { email: 'x', phone: '1' } }), 'buyer.phone');
  assert.equal(unknownIn({ name: 'a', items: [{ sku: 'x' }, { sku: 'y', qty: 2 }] }), 'items[1].qty');
});

test('records keep every key and transformed values are not walked', () => {
  assert.equal(unknownIn({ name: 'a', meta: { anything: 'goes' } }), null);
  assert.equal(unknownIn({ name: 'a', when: '2026-01-01T00:00:00Z' }), null);
});
