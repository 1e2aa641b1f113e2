import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next-path';

describe('safeNextPath', () => {
  it.each([
    [undefined, '/'],
    ['', '/'],
    ['/flows', '/flows'],
    ['/graph?cluster=prod-east&ns=shop', '/graph?cluster=prod-east&ns=shop'],
    [['/settings', '/flows'], '/settings'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['/flows\nSet-Cookie: x', '/'],
    ['/login?next=/login', '/'],
    ['/api/overview', '/'],
    ['flows', '/'],
  ])('%j → %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });
});
