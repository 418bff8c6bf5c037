// Where webhooks may be sent (SSRF policy). Checked twice: when an endpoint URL is saved (early,
// clear feedback) and again when a delivery connects (a name may resolve differently by then:
// DNS rebinding). A deployment may allow private networks for local development only.
import dns from 'node:dns';
import net from 'node:net';

interface Range {
  subnet: string;
  prefix: number;
  name: string;
}

const IPV4_RANGES: Range[] = [
  { subnet: '0.0.0.0', prefix: 8, name: 'this-network' },
  { subnet: '10.0.0.0', prefix: 8, name: 'private' },
  { subnet: '100.64.0.0', prefix: 10, name: 'carrier-grade NAT' },
  { subnet: '127.0.0.0', prefix: 8, name: 'loopback' },
  { subnet: '169.254.0.0', prefix: 16, name: 'link-local' },
  { subnet: '172.16.0.0', prefix: 12, name: 'private' },
  { subnet: '192.0.0.0', prefix: 24, name: 'IETF protocol assignments' },
  { subnet: '192.168.0.0', prefix: 16, name: 'private' },
  { subnet: '198.18.0.0', prefix: 15, name: 'benchmarking' },
  { subnet: '224.0.0.0', prefix: 4, name: 'multicast' },
  // Reserved, including the limited broadcast 255.255.255.255.
  { subnet: '240.0.0.0', prefix: 4, name: 'reserved/broadcast' },
];

const IPV6_RANGES: Range[] = [
  { subnet: '::', prefix: 128, name: 'unspecified' },
  { subnet: '::1', prefix: 128, name: 'loopback' },
  // Deprecated IPv4-compatible addresses; nothing legitimate lives there.
  { subnet: '::', prefix: 96, name: 'IPv4-compatible' },
  { subnet: 'fc00::', prefix: 7, name: 'unique local' },
  { subnet: 'fe80::', prefix: 10, name: 'link-local' },
  { subnet: 'fec0::', prefix: 10, name: 'site-local' },
  { subnet: 'ff00::', prefix: 8, name: 'multicast' },
];

const blockList = new net.BlockList();
for (const r of IPV4_RANGES) blockList.addSubnet(r.subnet, r.prefix, 'ipv4');
for (const r of IPV6_RANGES) blockList.addSubnet(r.subnet, r.prefix, 'ipv6');

/** `::ffff:a.b.c.d` (mapped) and `64:ff9b::a.b.c.d` (NAT64) reach the embedded IPv4 address. */
function embeddedIPv4(ip: string): string | null {
  const lower = ip.toLowerCase();
  for (const prefix of ['::ffff:', '64:ff9b::']) {
    if (!lower.startsWith(prefix)) continue;
    const rest = lower.slice(prefix.length);
    if (net.isIPv4(rest)) return rest;
    const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
    if (m) {
      const hi = parseInt(m[1] as string, 16);
      const lo = parseInt(m[2] as string, 16);
      return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
    }
  }
  return null;
}

/** Strips URL brackets and a zone id (`fe80::1%eth0`). */
function normalize(ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const zone = bare.indexOf('%');
  return zone === -1 ? bare : bare.slice(0, zone);
}

/** The blocked range an IP literal falls in, or null. Anything that is not an IP is null. */
export function blockedRange(ip: string): string | null {
  const addr = normalize(ip);
  const family = net.isIP(addr);
  if (family === 4) {
    return blockList.check(addr, 'ipv4') ? rangeName(IPV4_RANGES, addr, 'ipv4') : null;
  }
  if (family === 6) {
    const v4 = embeddedIPv4(addr);
    if (v4) return blockedRange(v4);
    return blockList.check(addr, 'ipv6') ? rangeName(IPV6_RANGES, addr, 'ipv6') : null;
  }
  return null;
}

function rangeName(ranges: Range[], addr: string, type: 'ipv4' | 'ipv6'): string {
  // Most specific first, so `::1` reports loopback rather than IPv4-compatible.
  const sorted = [...ranges].sort((a, b) => b.prefix - a.prefix);
  for (const r of sorted) {
    const one = new net.BlockList();
    one.addSubnet(r.subnet, r.prefix, type);
    if (one.check(addr, type)) return r.name;
  }
  return 'blocked';
}

export function isBlockedAddress(ip: string): boolean {
  return blockedRange(ip) !== null;
}

/** Thrown when a destination is refused; `code` lets callers tell it from network errors. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_BLOCKED';
  constructor(
    readonly address: string,
    readonly range: string,
    readonly host?: string,
  ) {
    super(
      host && host !== address
        ? `host ${host} resolves to ${address}, which is in a blocked range (${range})`
        : `address ${address} is in a blocked range (${range})`,
    );
    this.name = 'BlockedAddressError';
  }
}

export const MAX_URL_LENGTH = 2048;

export type UrlCheck = { ok: true; url: URL } | { ok: false; code: 'url_invalid' | 'url_not_allowed'; message: string };

/**
 * The static rules for an endpoint URL: http(s) only, no credentials, HTTPS in live mode, a
 * length cap, and (unless private networks are allowed) no blocked IP literal or localhost name.
 * Names are resolved separately (resolveAndCheck) because that needs the network.
 */
export function validateEndpointUrl(raw: string, opts: { livemode: boolean; allowPrivate: boolean }): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) {
    return { ok: false, code: 'url_invalid', message: `The URL must be at most ${MAX_URL_LENGTH} characters.` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: 'url_invalid', message: 'The URL is not a valid absolute URL.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, code: 'url_not_allowed', message: 'The URL must use https (or http in test mode).' };
  }
  if (opts.livemode && url.protocol !== 'https:') {
    return { ok: false, code: 'url_not_allowed', message: 'Live mode endpoints must use https.' };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      code: 'url_not_allowed',
      message: 'The URL must not contain credentials; verify the WTH-Signature header instead.',
    };
  }
  if (!url.hostname) return { ok: false, code: 'url_invalid', message: 'The URL has no host.' };
  if (!opts.allowPrivate) {
    const refusal = hostRefusal(url.hostname);
    if (refusal) return { ok: false, code: 'url_not_allowed', message: refusal };
  }
  return { ok: true, url };
}

const canonicalHost = (hostname: string): string => normalize(hostname).toLowerCase().replace(/\.$/, '');

// RFC 6761: these names always mean this machine, whatever DNS says.
const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/** Static refusal for a URL hostname (IP literal in a blocked range, or a localhost name). */
function hostRefusal(hostname: string): string | null {
  const host = canonicalHost(hostname);
  const range = blockedRange(host);
  if (range) return `The URL's host ${host} is in a blocked range (${range}); webhooks go to public addresses only.`;
  if (isLocalhostName(host)) {
    return `The URL's host ${host} is this machine (loopback); webhooks go to public addresses only.`;
  }
  return null;
}

export type LookupFn = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: LookupFn = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** getaddrinfo has no timeout of its own; a save should not hang on a slow resolver. */
export const SAVE_TIME_LOOKUP_TIMEOUT_MS = 5_000;

const NO_SUCH_HOST = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Save-time check: resolve every address of `host` and refuse if any is blocked (a name with
 * one public and one private address could be steered to the private one), or if the name
 * does not exist (most likely a typo). A resolver that fails or is slow does not block the
 * save: guardedLookup checks again on every connection. Returns a message when refused.
 */
export async function resolveAndCheck(
  host: string,
  allowPrivate: boolean,
  lookup: LookupFn = systemLookup,
  timeoutMs = SAVE_TIME_LOOKUP_TIMEOUT_MS,
): Promise<string | null> {
  if (allowPrivate) return null;
  const staticRefusal = hostRefusal(host);
  if (staticRefusal) return staticRefusal;
  const bare = normalize(host);
  if (net.isIP(bare)) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  let addresses: Array<{ address: string }> | null;
  try {
    addresses = await Promise.race([lookup(bare), timeout]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && NO_SUCH_HOST.has(code)
      ? `The URL's host ${bare} does not exist (DNS lookup found no address).`
      : null;
  } finally {
    clearTimeout(timer);
  }
  if (addresses === null) return null;
  if (addresses.length === 0) return `The URL's host ${bare} does not exist (DNS lookup found no address).`;
  for (const { address } of addresses) {
    const range = blockedRange(address);
    if (range) {
      return `The URL's host ${bare} resolves to ${address}, which is in a blocked range (${range}); webhooks go to public addresses only.`;
    }
  }
  return null;
}

/**
 * Send-time check for IP-literal hosts: sockets skip `lookup` for literals, so guardedLookup
 * never sees them. Call before every attempt; throws BlockedAddressError.
 */
export function assertHostAllowed(url: string | URL, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const host = canonicalHost((typeof url === 'string' ? new URL(url) : url).hostname);
  const range = blockedRange(host);
  if (range) throw new BlockedAddressError(host, range);
  if (isLocalhostName(host)) throw new BlockedAddressError(host, 'loopback');
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup`-compatible function for `new undici.Agent({ connect: { lookup } })` (or any
 * net/tls `lookup` option): resolves, then refuses the connection if any address is blocked.
 * This is the check that counts, because it runs on the very addresses the socket will use.
 */
export function guardedLookup(allowPrivate: boolean) {
  return function lookup(
    hostname: string,
    options: dns.LookupOptions | number | LookupCallback,
    callback?: LookupCallback,
  ): void {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts: dns.LookupOptions =
      typeof options === 'function' ? {} : typeof options === 'number' ? { family: options } : options;
    dns.lookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err, opts.all ? [] : '');
      if (!allowPrivate) {
        for (const { address } of addresses) {
          const range = blockedRange(address);
          if (range) return cb(new BlockedAddressError(address, range, hostname), opts.all ? [] : '');
        }
      }
      if (opts.all) return cb(null, addresses);
      const first = addresses[0];
      if (!first) {
        const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        e.code = 'ENOTFOUND';
        return cb(e, '');
      }
      cb(null, first.address, first.family);
    });
  };
}
