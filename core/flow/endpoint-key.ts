import type { Endpoint } from './types';

/**
 * The identity of an endpoint in the endpoint dictionary: everything but its labels (labels can change
 * while the endpoint stays the same; the first labels seen are kept).
 */
export function endpointKey(endpoint: Endpoint): string {
  return [
    endpoint.kind,
    endpoint.namespace ?? '',
    endpoint.name,
    endpoint.workloadKind ?? '',
    endpoint.pod ?? '',
    endpoint.ip ?? '',
    endpoint.domain ?? '',
    endpoint.serviceName ?? '',
  ].join('|');
}

/**
 * 64-bit dictionary id of an endpoint key, as a signed decimal string (Postgres `bigint`).
 * Two independent 32-bit FNV-1a/murmur-mixed hashes make the 64 bits; stateless collectors agree on
 * it without a database round trip. Collisions (≈ n²/2⁶⁵) are negligible for dictionary sizes here.
 */
export function endpointIdFromKey(key: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ key.length;
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = fmix32(h1);
  h2 = fmix32(h2 ^ h1);
  const value = (BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0);
  return BigInt.asIntN(64, value).toString();
}

function fmix32(input: number): number {
  let hash = input;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash;
}
