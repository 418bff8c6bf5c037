import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertHostAllowed,
  BlockedAddressError,
  blockedRange,
  isBlockedAddress,
  MAX_URL_LENGTH,
  resolveAndCheck,
  validateEndpointUrl,
} from '../../lib/address-policy';

test('address policy: blocked IPv4 ranges, edges included', () => {
  const blocked = [
    '0.0.0.0',
    '0.255.255.255',
    '10.0.0.0',
    '10.255.255.255',
    '100.64.0.1',
    '100.127.255.255',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.168.0.1',
    '192.168.255.255',
    '198.18.0.1',
    '224.0.0.1',
    '239.255.255.255',
    '240.0.0.1',
    '255.255.255.255',
  ];
  for (const ip of blocked) assert.equal(isBlockedAddress(ip), true, ip);
  const allowed = ['1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0'];
  allowed.push('126.255.255.255', '128.0.0.0', '169.253.255.255', '172.15.255.255', '172.32.0.0');
  allowed.push('192.167.255.255', '192.169.0.0', '223.255.255.255', '93.184.216.34');
  for (const ip of allowed) assert.equal(isBlockedAddress(ip), false, ip);
});

test('address policy: blocked IPv6 ranges, IPv4-mapped and NAT64 forms', () => {
  const blocked = [
    '::',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    'fe80::1',
    'fe80::1%eth0',
    'febf:ffff::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'ff02::1',
    'ff0e::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '[::ffff:a00:1]',
    '::ffff:169.254.169.254',
    '::ffff:192.168.1.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::7f00:1',
    '::127.0.0.1',
  ];
  for (const ip of blocked) assert.equal(isBlockedAddress(ip), true, ip);
  const allowed = ['2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', 'fe00::1'];
  for (const ip of allowed) assert.equal(isBlockedAddress(ip), false, ip);
});

test('address policy: names are not addresses; the range name is reported', () => {
  assert.equal(isBlockedAddress('localhost'), false);
  assert.equal(isBlockedAddress('example.com'), false);
  assert.equal(blockedRange('127.0.0.1'), 'loopback');
  assert.equal(blockedRange('::1'), 'loopback');
  assert.equal(blockedRange('10.1.2.3'), 'private');
  assert.equal(blockedRange('169.254.169.254'), 'cloud metadata');
  assert.equal(blockedRange('169.254.1.1'), 'link-local');
  assert.equal(blockedRange('100.64.0.1'), 'carrier-grade NAT');
  assert.equal(blockedRange('fd00::1'), 'unique local');
  assert.equal(blockedRange('::ffff:10.0.0.1'), 'private');
});

const live = { livemode: true, allowPrivate: false };
const test_ = { livemode: false, allowPrivate: false };

function refusal(url: string, opts: { livemode: boolean; allowPrivate: boolean }) {
  const r = validateEndpointUrl(url, opts);
  assert.equal(r.ok, false, url);
  return r as { ok: false; code: string; message: string };
}

test('endpoint URL: https anywhere, http in test mode only', () => {
  assert.equal(validateEndpointUrl('https://hooks.example.com/wth', live).ok, true);
  assert.equal(validateEndpointUrl('https://hooks.example.com:8443/a?b=c', live).ok, true);
  assert.equal(validateEndpointUrl('http://hooks.example.com/wth', test_).ok, true);
  const r = refusal('http://hooks.example.com/wth', live);
  assert.equal(r.code, 'url_not_allowed');
  assert.match(r.message, /live mode.*https/i);
});

test('endpoint URL: other schemes, credentials, garbage and over-long URLs are refused', () => {
  for (const u of ['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://example.com']) {
    assert.equal(refusal(u, test_).code, 'url_not_allowed', u);
  }
  assert.match(refusal('https://user:pw@example.com/x', live).message, /credentials/);
  assert.match(refusal('https://user@example.com/x', live).message, /credentials/);
  assert.equal(refusal('not a url', live).code, 'url_invalid');
  assert.equal(refusal('/relative/path', live).code, 'url_invalid');
  const long = `https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`;
  assert.match(refusal(long, live).message, new RegExp(String(MAX_URL_LENGTH)));
});

test('endpoint URL: blocked IP literals in every spelling, and localhost names', () => {
  for (const u of [
    'https://127.0.0.1/x',
    'https://2130706433/x',
    'https://0x7f.1/x',
    'https://10.0.0.5:8080/x',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[fd00::1]/x',
    'https://localhost/x',
    'https://LOCALHOST./x',
    'https://api.localhost/x',
  ]) {
    const r = refusal(u, live);
    assert.equal(r.code, 'url_not_allowed', u);
    assert.match(r.message, /blocked range|loopback/, u);
  }
  assert.match(refusal('https://10.0.0.5/x', live).message, /10\.0\.0\.5 is in a blocked range \(private\)/);
});

test('endpoint URL: a deployment that allows private networks accepts them', () => {
  const dev = { livemode: false, allowPrivate: true };
  assert.equal(validateEndpointUrl('http://127.0.0.1:4000/hook', dev).ok, true);
  assert.equal(validateEndpointUrl('http://localhost:4000/hook', dev).ok, true);
  // ...but live mode still needs https.
  assert.equal(refusal('http://127.0.0.1:4000/hook', { livemode: true, allowPrivate: true }).code, 'url_not_allowed');
});

test('resolveAndCheck: refuses when any resolved address is blocked, or the name does not exist', async () => {
  const fake = (addrs: string[]) => async () =>
    addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const failing = (code: string) => async () => {
    throw Object.assign(new Error(`getaddrinfo ${code}`), { code });
  };
  assert.equal(await resolveAndCheck('hooks.example.com', false, fake(['93.184.216.34'])), null);
  const mixed = await resolveAndCheck('rebind.example.com', false, fake(['93.184.216.34', '10.0.0.7']));
  assert.match(String(mixed), /rebind\.example\.com resolves to 10\.0\.0\.7, which is in a blocked range \(private\)/);
  assert.match(String(await resolveAndCheck('v6.example.com', false, fake(['::1']))), /loopback/);
  assert.match(String(await resolveAndCheck('none.example.com', false, fake([]))), /does not exist/);
  assert.match(
    String(await resolveAndCheck('nx.example.com', false, failing('ENOTFOUND'))),
    /nx\.example\.com does not exist/,
  );
  // The real resolver: localhost is loopback, and .invalid never exists (RFC 6761).
  assert.match(String(await resolveAndCheck('localhost', false)), /loopback/);
  assert.match(String(await resolveAndCheck('no-such-host.invalid', false)), /does not exist/);
  // With private networks allowed (development) names are left to the connect-time guard, but
  // a blocked literal is still refused.
  assert.equal(await resolveAndCheck('anything.example.com', true, failing('ENOTFOUND')), null);
  assert.match(String(await resolveAndCheck('169.254.169.254', true)), /blocked range \(cloud metadata\)/);
});

test('resolveAndCheck: a failing or hanging resolver does not block the save (the connect-time guard remains)', async () => {
  const transient = async () => {
    throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
  };
  assert.equal(await resolveAndCheck('hooks.example.com', false, transient), null);
  const hanging = () => new Promise<never>(() => undefined);
  assert.equal(await resolveAndCheck('hooks.example.com', false, hanging, 10), null);
});

test('assertHostAllowed: IP literals (which never go through lookup) are refused at send time', () => {
  assert.throws(
    () => assertHostAllowed('http://127.0.0.1:9/x', false),
    (e: unknown) => {
      assert.ok(e instanceof BlockedAddressError);
      assert.equal(e.message, 'address 127.0.0.1 is in a blocked range (loopback)');
      return true;
    },
  );
  assert.throws(
    () => assertHostAllowed(new URL('http://[::ffff:a9fe:a9fe]/'), false),
    /::ffff:a9fe:a9fe is in a blocked range \(cloud metadata\)/,
  );
  assert.throws(() => assertHostAllowed('http://localhost:3000/', false), BlockedAddressError);
  assert.doesNotThrow(() => assertHostAllowed('https://93.184.216.34/x', false));
  assert.doesNotThrow(() => assertHostAllowed('https://hooks.example.com/x', false));
  assert.doesNotThrow(() => assertHostAllowed('http://127.0.0.1:9/x', true));
});

test('address policy: every special-purpose class is refused, with its name', () => {
  const cases: Array<[string, string]> = [
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['192.0.0.8', 'reserved'], // IETF protocol assignments
    ['192.0.2.10', 'reserved'], // TEST-NET-1
    ['198.51.100.10', 'reserved'], // TEST-NET-2
    ['203.0.113.10', 'reserved'], // TEST-NET-3
    ['198.18.0.1', 'reserved'], // benchmarking (RFC 2544)
    ['198.19.255.255', 'reserved'],
    ['192.88.99.1', 'reserved'], // 6to4 relay anycast
    ['240.0.0.1', 'reserved'],
    ['2002:7f00:1::1', '6to4'], // 6to4 wrapping 127.0.0.1
    ['2002:a9fe:a9fe::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2001:db8::1', 'reserved'], // documentation
    ['100::1', 'discard'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::', 'unspecified'],
    ['::7f00:1', 'IPv4-compatible'],
    ['64:ff9b::a00:1', 'private'], // NAT64 reaches the embedded 10.0.0.1
    ['::ffff:0:a00:1', 'private'], // IPv4-translated (RFC 6145)
    ['::ffff:c000:210', 'reserved'], // mapped TEST-NET-1
  ];
  for (const [ip, range] of cases) {
    assert.equal(blockedRange(ip), range, ip);
    // Development allows none of these (private only where it is the embedded target).
    if (range !== 'private') assert.equal(blockedRange(ip, true), range, `${ip} with private networks allowed`);
  }
});

test('address policy: link-local and cloud metadata are refused even with private networks allowed', () => {
  for (const ip of [
    '169.254.169.254',
    '169.254.170.2',
    '100.100.100.200',
    'fd00:ec2::254',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
  ]) {
    assert.equal(blockedRange(ip, true), 'cloud metadata', ip);
  }
  assert.equal(blockedRange('169.254.0.1', true), 'link-local');
  assert.equal(blockedRange('fe80::1%eth0', true), 'link-local');
  // What development does allow: loopback and private ranges, in any spelling.
  for (const ip of ['127.0.0.1', '::1', '[::1]', '10.0.0.1', '172.16.0.1', '192.168.1.1', 'fd12::1', '::ffff:7f00:1']) {
    assert.equal(blockedRange(ip, true), null, ip);
    assert.notEqual(blockedRange(ip), null, ip);
  }
  const dev = { livemode: false, allowPrivate: true };
  for (const u of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://[fe80::1]/']) {
    assert.equal(refusal(u, dev).code, 'url_not_allowed', u);
  }
  assert.throws(() => assertHostAllowed('http://169.254.169.254/latest', true), /blocked range \(cloud metadata\)/);
  assert.throws(() => assertHostAllowed('http://[::ffff:a9fe:a9fe]/', true), BlockedAddressError);
});
