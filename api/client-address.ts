import ipaddr from 'ipaddr.js';

/**
 * The client's address. X-Forwarded-For is believed only from a configured proxy (a load
 * balancer), hop by hop from the right: the first address that is not itself a trusted proxy is
 * the client. From anyone else the header is ignored, so a caller cannot pick its own address.
 * `trusted` holds addresses or CIDR ranges (`10.0.0.0/8`, `::1`).
 */
export function clientAddress(socketAddress: string, forwardedFor: string, trusted: string[]): string {
  const peer = canonical(socketAddress);
  if (!forwardedFor || !isTrusted(peer, trusted)) return peer;
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = canonical(hops[i] as string);
    if (!ipaddr.isValid(hop)) return peer;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return canonical(hops[0] ?? peer);
}

function canonical(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip); // ::ffff:1.2.3.4 → 1.2.3.4
  return addr.toString();
}

function isTrusted(ip: string, trusted: string[]): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return trusted.some((entry) => {
    try {
      if (entry.includes('/')) {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return addr.kind() === range.kind() && addr.match(range, bits);
      }
      return ipaddr.process(entry).toString() === addr.toString();
    } catch {
      return false;
    }
  });
}
