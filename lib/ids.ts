import { randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform base62 from a CSPRNG (rejection sampling avoids modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Prefixed ids for objects we mint (events, endpoints, deliveries); domain rows use UUIDs. */
export function prefixedId(prefix: 'evt' | 'we' | 'dlv' | 'whsec' | 'rcv'): string {
  return `${prefix}_${randomBase62(24)}`;
}

export const uuid = (): string => randomUUID();
