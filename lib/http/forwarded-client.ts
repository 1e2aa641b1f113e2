/**
 * Who is calling, as far as the web server can know: the TCP peer, unless the operator says that peer
 * is a reverse proxy (FLOWLENS_TRUSTED_PROXIES = how many proxies stand in front of flowlens). Only
 * then are X-Forwarded-For / X-Forwarded-Proto believed, and only the entries those proxies appended:
 * anything further left was written by the client and may be forged.
 *
 * Without this, `next start` passes a client's own X-Forwarded-For through untouched, so a caller could
 * pick a new "address" per request and slip past per-address login throttling and audit records.
 */
export interface ForwardedClient {
  address: string;
  protocol: 'http' | 'https';
}

export interface ForwardedClientInput {
  /** The X-Forwarded-For header(s) as received (comma-separated, possibly repeated). */
  forwardedFor: string | string[] | undefined;
  forwardedProto: string | string[] | undefined;
  /** The TCP peer's address (`socket.remoteAddress`). */
  peerAddress: string | undefined;
  /** True when the connection to this server is TLS. */
  peerEncrypted: boolean;
  trustedProxies: number;
}

export function resolveForwardedClient(input: ForwardedClientInput): ForwardedClient {
  const peer = normaliseAddress(input.peerAddress ?? '') || 'unknown';
  const peerProtocol = input.peerEncrypted ? 'https' : 'http';
  if (input.trustedProxies <= 0) return { address: peer, protocol: peerProtocol };
  // The chain as the nearest proxy saw it, ending with the peer itself (the last trusted hop).
  const chain = [...headerEntries(input.forwardedFor).map(normaliseAddress).filter(Boolean), peer];
  const address = chain[Math.max(0, chain.length - 1 - input.trustedProxies)] ?? peer;
  // Each proxy appends the scheme it was reached by; the last entry is the nearest proxy's, which is the
  // scheme the client used when there is one proxy (the common case) and the first hop's otherwise.
  const protocols = headerEntries(input.forwardedProto).map((entry) => entry.toLowerCase());
  const claimed = protocols[Math.max(0, protocols.length - input.trustedProxies)];
  return { address, protocol: claimed === 'https' || claimed === 'http' ? claimed : peerProtocol };
}

function headerEntries(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; `[2001:db8::1]:443` or `10.0.0.1:5000` (some proxies add ports) → the address. */
function normaliseAddress(raw: string): string {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  if (address.toLowerCase().startsWith('::ffff:') && address.includes('.')) address = address.slice(7);
  return address.length <= 100 && /^[0-9A-Za-z.:%_-]+$/.test(address) ? address : '';
}
