import { describe, expect, it } from 'vitest';
import {
  allConnections,
  connectionsOf,
  equalConnections,
  formatConnectionSet,
  intersectConnections,
  noConnections,
  parseConnectionSet,
  subtractConnections,
  unionConnections,
} from './connection-set';

describe('connection sets', () => {
  it.each([
    ['all', allConnections(), 'All Connections'],
    ['none', noConnections(), 'No Connections'],
    ['one port', connectionsOf('TCP', 8080), 'TCP 8080'],
    ['whole protocol', connectionsOf('UDP'), 'UDP 1-65535'],
    ['merged adjacent', unionConnections(connectionsOf('TCP', 1, 10), connectionsOf('TCP', 11, 20)), 'TCP 1-20'],
    ['groups sorted by protocol', unionConnections(connectionsOf('UDP', 8080), connectionsOf('TCP', 9090), connectionsOf('TCP', 8080)), 'TCP 8080,9090,UDP 8080'],
    ['hole punched', subtractConnections(allConnections(), connectionsOf('UDP', 5353)), 'SCTP 1-65535,TCP 1-65535,UDP 1-5352,5354-65535'],
    ['intersection', intersectConnections(connectionsOf('TCP', 1, 100), connectionsOf('TCP', 50, 200)), 'TCP 50-100'],
  ])('%s formats as %s', (_name, set, text) => {
    expect(formatConnectionSet(set)).toBe(text);
  });

  it.each([
    'All Connections',
    'TCP 8080',
    'TCP 8080,9090,UDP 8080',
    'SCTP 1-65535,TCP 1-65535,UDP 1-5352,5354-65535',
    'SCTP 7070,TCP 8080-8081,UDP 9090',
  ])('parses and re-formats %s', (text) => {
    const parsed = parseConnectionSet(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formatConnectionSet(parsed.value)).toBe(text);
  });

  it('treats the three whole protocols as All Connections', () => {
    const parsed = parseConnectionSet('SCTP 1-65535,TCP 1-65535,UDP 1-65535');
    expect(parsed.ok && equalConnections(parsed.value, allConnections())).toBe(true);
  });

  it.each(['8080', 'TCP 0', 'TCP 10-5', 'TCP abc'])('rejects %s with a tagged error', (text) => {
    const parsed = parseConnectionSet(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.kind).toBe('invalid-connection-set');
  });
});
