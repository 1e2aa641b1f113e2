import { describe, expect, it } from 'vitest';
import { copyNumber, copyText } from './copy-text';

describe('copyText', () => {
  it.each([
    ['plain', 'plain'],
    ['a\tb', 'a\\tb'],
    ['line\nbreak\r', 'line\\nbreak\\r'],
    ['back\\slash', 'back\\\\slash'],
    ['{"a":"x\\"y"}', '{"a":"x\\\\"y"}'],
  ])('%j → %j', (input, expected) => expect(copyText(input)).toBe(expected));
  it('writes NULL as \\N', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyNumber(undefined)).toBe('\\N');
    expect(copyNumber(Number.NaN)).toBe('\\N');
    expect(copyNumber(443)).toBe('443');
  });
});
