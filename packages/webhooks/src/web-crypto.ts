// Asynchronous HMAC with Web Crypto (globalThis.crypto.subtle): Node 20+, Deno, Bun, Cloudflare
// Workers, Vercel/Next.js edge. Nothing here may import a node: module.

type Subtle = typeof globalThis.crypto.subtle;
// TypeScript 5.7+ types Web Crypto inputs as views of a plain ArrayBuffer; ours always are.
type Bytes = Parameters<Subtle['sign']>[2];

function subtle(): Subtle {
  const s = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (!s) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available in this runtime');
  return s;
}

const hmacKey = (secret: string, usage: 'sign' | 'verify') =>
  subtle().importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);

export async function hmacSha256Async(secret: string, payload: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', await hmacKey(secret, 'sign'), payload as Bytes));
}

/** Like anySignatureMatches; crypto.subtle.verify compares in constant time. */
export async function anySignatureMatchesAsync(
  secrets: readonly string[],
  payload: Uint8Array,
  signatures: readonly Uint8Array[],
): Promise<boolean> {
  for (const secret of secrets) {
    const key = await hmacKey(secret, 'verify');
    for (const sig of signatures) {
      if (await subtle().verify('HMAC', key, sig as Bytes, payload as Bytes)) return true;
    }
  }
  return false;
}
