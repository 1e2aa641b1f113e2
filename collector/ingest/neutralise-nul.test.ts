import { describe, expect, it } from 'vitest';
import { neutraliseNul } from './neutralise-nul';

describe('neutraliseNul', () => {
  it.each([
    ['plain', 'plain'],
    ['a\u0000b', 'a\ufffdb'],
    [String.raw`{"name":"x\u0000y"}`, String.raw`{"name":"x\ufffdy"}`],
    [String.raw`{"name":"x\U0000y"}`, String.raw`{"name":"x\ufffdy"}`],
    [String.raw`{"name":"x\\u0000y"}`, String.raw`{"name":"x\\u0000y"}`],
    [String.raw`{"name":"x\\\u0000y"}`, String.raw`{"name":"x\\\ufffdy"}`],
  ])('%j → %j', (input, expected) => {
    expect(neutraliseNul(input)).toBe(expected);
    expect(JSON.stringify(neutraliseNul(input))).not.toContain('\\u0000"');
  });

  it('leaves JSON parseable with no NUL left', () => {
    const parsed = JSON.parse(neutraliseNul(JSON.stringify({ name: 'ctl\u0000\u0007', labels: { 'a\u0000': 'b\u0000' } }))) as unknown;
    expect(JSON.stringify(parsed)).not.toMatch(/\\u0000/);
  });
});
