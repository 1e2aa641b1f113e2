import { describe, expect, it } from 'vitest';
import { resolveForwardedClient } from './forwarded-client';

const direct = { forwardedFor: undefined, forwardedProto: undefined, peerAddress: '::ffff:203.0.113.9', peerEncrypted: false, trustedProxies: 0 };

describe('resolveForwardedClient', () => {
  it('uses the TCP peer and ignores forwarded headers when no proxy is trusted (a client cannot pick its address)', () => {
    expect(resolveForwardedClient({ ...direct, forwardedFor: '198.51.100.7', forwardedProto: 'https' })).toEqual({ address: '203.0.113.9', protocol: 'http' });
    expect(resolveForwardedClient({ ...direct, peerEncrypted: true })).toEqual({ address: '203.0.113.9', protocol: 'https' });
  });

  it('behind one trusted proxy takes the entry that proxy appended, not what the client wrote before it', () => {
    const behindProxy = { ...direct, peerAddress: '10.0.0.2', trustedProxies: 1 };
    expect(resolveForwardedClient({ ...behindProxy, forwardedFor: '198.51.100.7', forwardedProto: 'https' })).toEqual({ address: '198.51.100.7', protocol: 'https' });
    // The client forged "1.2.3.4"; the proxy appended the real address.
    expect(resolveForwardedClient({ ...behindProxy, forwardedFor: '1.2.3.4, 198.51.100.7' }).address).toBe('198.51.100.7');
    expect(resolveForwardedClient({ ...behindProxy, forwardedFor: ['1.2.3.4', '[2001:db8::5]:443'] }).address).toBe('2001:db8::5');
  });

  it('walks back one entry per trusted proxy, and falls back to the peer when the chain is short or junk', () => {
    expect(resolveForwardedClient({ ...direct, peerAddress: '10.0.0.3', trustedProxies: 2, forwardedFor: '6.6.6.6, 198.51.100.7:5123, 10.0.0.2' }).address).toBe('198.51.100.7');
    expect(resolveForwardedClient({ ...direct, peerAddress: '10.0.0.3', trustedProxies: 3, forwardedFor: '10.0.0.2' }).address).toBe('10.0.0.2');
    expect(resolveForwardedClient({ ...direct, peerAddress: '10.0.0.3', trustedProxies: 1, forwardedFor: '<script>' }).address).toBe('10.0.0.3');
    expect(resolveForwardedClient({ ...direct, peerAddress: undefined })).toEqual({ address: 'unknown', protocol: 'http' });
  });
});
