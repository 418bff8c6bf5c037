import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientAddress } from '../../api/client-address';

test('client address: X-Forwarded-For is ignored unless the peer is a trusted proxy', () => {
  assert.equal(clientAddress('203.0.113.9', '1.2.3.4', []), '203.0.113.9');
  assert.equal(clientAddress('203.0.113.9', '1.2.3.4', ['10.0.0.0/8']), '203.0.113.9');
  assert.equal(clientAddress('::ffff:203.0.113.9', '', []), '203.0.113.9');
});

test('client address: behind trusted proxies the rightmost untrusted hop is the client', () => {
  const trusted = ['10.0.0.0/8', '127.0.0.1'];
  assert.equal(clientAddress('10.1.2.3', '198.51.100.7', trusted), '198.51.100.7');
  // A client-supplied spoof on the left is not believed.
  assert.equal(clientAddress('10.1.2.3', '6.6.6.6, 198.51.100.7, 10.9.9.9', trusted), '198.51.100.7');
  assert.equal(clientAddress('::ffff:127.0.0.1', '198.51.100.7', trusted), '198.51.100.7');
  // Garbage in the header: fall back to the peer.
  assert.equal(clientAddress('10.1.2.3', 'not-an-ip', trusted), '10.1.2.3');
  // Every hop trusted: the leftmost one.
  assert.equal(clientAddress('10.1.2.3', '10.0.0.1, 10.0.0.2', trusted), '10.0.0.1');
});
