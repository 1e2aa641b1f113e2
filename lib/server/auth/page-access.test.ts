import { describe, expect, it } from 'vitest';
import { mayOpenPage } from './page-access';

describe('mayOpenPage', () => {
  it.each([
    ['/', 'viewer', true],
    ['/graph', 'viewer', true],
    ['/flows', 'viewer', false],
    ['/flows', 'sre', true],
    ['/flowsx', 'viewer', true],
    ['/genai', 'sre', false],
    ['/genai', 'analyst', true],
    ['/settings', 'analyst', false],
    ['/settings/audit', 'analyst', false],
    ['/settings/audit', 'admin', true],
  ] as const)('%s as %s: %s', (pathname, role, expected) => {
    expect(mayOpenPage(pathname, role)).toBe(expected);
  });
});
