// Where webhooks may be sent (SSRF policy). Checked twice: when an endpoint URL is saved (early,
// clear feedback) and again when a delivery connects (a name may resolve differently by then:
// DNS rebinding). A deployment may allow private networks for local development only.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

// The special-purpose ranges come from ipaddr.js (IANA registries: private, reserved, TEST-NETs,
// benchmarking, 6to4, Teredo, NAT64, multicast, broadcast …); anything it calls `unicast` is a
// public address. Only the wording and the development exceptions are ours.
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  as112: 'AS112',
  amt: 'AMT',
  uniqueLocal: 'unique local',
  discard: 'discard',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
  benchmarking: 'benchmarking',
  as112v6: 'AS112',
  deprecated: 'deprecated',
  orchid2: 'ORCHIDv2',
  droneRemoteIdProtocolEntityTags: 'drone remote ID',
};

/**
 * What WEBHOOK_ALLOW_PRIVATE_NETWORKS (development only) lets through: this machine and the
 * private ranges a local receiver or container lives in. Link-local (where cloud metadata
 * services answer) and everything else special stay refused whatever the setting says.
 */
const DEVELOPMENT_RANGES = new Set(['loopback', 'private', 'unique local']);

// Instance metadata services. Most are link-local anyway; named so a refusal says what it is,
// and refused even where their range (AWS's IPv6 one is unique-local) would be allowed.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean …
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.253', // AWS VPC DNS
  '100.100.100.200', // Alibaba Cloud
  'fd00:ec2:0:0:0:0:0:254', // AWS over IPv6
]);

/** Strips URL brackets and a zone id (`fe80::1%eth0`). */
function normalize(ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const zone = bare.indexOf('%');
  return zone === -1 ? bare : bare.slice(0, zone);
}

/** The IPv4 address an IPv6 address carries and reaches (mapped, translated, NAT64), if any. */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = addr.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
    const b = addr.toByteArray();
    return new ipaddr.IPv4(b.slice(12));
  }
  return null;
}

/** The special range an IP literal is in (whatever the policy), or null for a public address or a name. */
function specialRange(ip: string): string | null {
  const bare = normalize(ip);
  if (!net.isIP(bare)) return null;
  const addr = ipaddr.parse(bare);
  if (METADATA_ADDRESSES.has(addr.toNormalizedString())) return 'cloud metadata';
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    const v4 = embeddedIPv4(v6);
    if (v4) return specialRange(v4.toString());
    // Deprecated IPv4-compatible addresses (::a.b.c.d); nothing legitimate lives there.
    const parts = v6.parts;
    if (v6.range() === 'unicast' && parts.slice(0, 6).every((p) => p === 0)) return 'IPv4-compatible';
  }
  const range = addr.range();
  return range === 'unicast' ? null : (RANGE_NAMES[range] ?? range);
}

/**
 * The blocked range an IP literal falls in, or null when it may be a target. Anything that is
 * not an IP is null. `allowPrivate` (development) lets loopback and private ranges through.
 */
export function blockedRange(ip: string, allowPrivate = false): string | null {
  const range = specialRange(ip);
  if (range && allowPrivate && DEVELOPMENT_RANGES.has(range)) return null;
  return range;
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
 * length cap, and no blocked IP literal or (unless private networks are allowed) localhost name.
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
  const refusal = hostRefusal(url.hostname, opts.allowPrivate);
  if (refusal) return { ok: false, code: 'url_not_allowed', message: refusal };
  return { ok: true, url };
}

const canonicalHost = (hostname: string): string => normalize(hostname).toLowerCase().replace(/\.$/, '');

// RFC 6761: these names always mean this machine, whatever DNS says.
const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/** Static refusal for a URL hostname (IP literal in a blocked range, or a localhost name). */
function hostRefusal(hostname: string, allowPrivate: boolean): string | null {
  const host = canonicalHost(hostname);
  const range = blockedRange(host, allowPrivate);
  if (range) return `The URL's host ${host} is in a blocked range (${range}); webhooks go to public addresses only.`;
  if (isLocalhostName(host) && !allowPrivate) {
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
  const staticRefusal = hostRefusal(host, allowPrivate);
  // Development names (containers, /etc/hosts) need no save-time lookup; the connect-time
  // guard still refuses one that resolves to link-local or metadata addresses.
  if (staticRefusal || allowPrivate) return staticRefusal;
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
    const range = blockedRange(address, allowPrivate);
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
  const host = canonicalHost((typeof url === 'string' ? new URL(url) : url).hostname);
  const range = blockedRange(host, allowPrivate);
  if (range) throw new BlockedAddressError(host, range);
  if (isLocalhostName(host) && !allowPrivate) throw new BlockedAddressError(host, 'loopback');
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** How names are resolved: `dns.lookup` with `all: true` (replaceable so tests need no DNS). */
export type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

/**
 * A `dns.lookup`-compatible function for `new undici.Agent({ connect: { lookup } })` (or any
 * net/tls `lookup` option): resolves, then refuses the connection if any address is blocked.
 * This is the check that counts, because it runs on the very addresses the socket will use.
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolver = dns.lookup) {
  return function lookup(
    hostname: string,
    options: dns.LookupOptions | number | LookupCallback,
    callback?: LookupCallback,
  ): void {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts: dns.LookupOptions =
      typeof options === 'function' ? {} : typeof options === 'number' ? { family: options } : options;
    resolve(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err, opts.all ? [] : '');
      for (const { address } of addresses) {
        const range = blockedRange(address, allowPrivate);
        if (range) return cb(new BlockedAddressError(address, range, hostname), opts.all ? [] : '');
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
