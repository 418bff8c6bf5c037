import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestHash } from '../../domain/platform/idempotency-keys';

test('the request hash ignores key order but not values, paths or methods', () => {
  const a = requestHash('POST', '/api/v1/orders', { a: 1, b: { c: [1, { d: 2, e: 3 }] } });
  assert.equal(a, requestHash('POST', '/api/v1/orders', { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  assert.notEqual(a, requestHash('POST', '/api/v1/orders', { a: 1, b: { c: [{ d: 2, e: 3 }, 1] } }));
  assert.notEqual(a, requestHash('POST', '/api/v1/orders', { a: '1', b: { c: [1, { d: 2, e: 3 }] } }));
  assert.notEqual(a, requestHash('POST', '/api/v1/customers', { a: 1, b: { c: [1, { d: 2, e: 3 }] } }));
  assert.notEqual(requestHash('POST', '/x', {}), requestHash('POST', '/x', null));
});
