import { describe, expect, it } from 'vitest';
import { defaultGenAiRules } from './default-genai-rules';
import { parseGenAiRules } from './parse-genai-rules';

describe('parseGenAiRules', () => {
  it('accepts the built-in table (the same shape admins write)', () => {
    const result = parseGenAiRules(JSON.parse(JSON.stringify(defaultGenAiRules)));
    expect(result.ok).toBe(true);
  });

  it('accepts role and sensitivity rules', () => {
    const result = parseGenAiRules([
      { kind: 'role', id: 'acme-llm', role: 'llm-inference', confidence: 0.9, match: [{ kind: 'image', pattern: '^acme/llm' }] },
      { kind: 'sensitivity', id: 'billing', match: [{ kind: 'namespace', pattern: '^billing$' }], level: 'restricted', tags: ['pci'] },
    ]);
    expect(result).toMatchObject({ ok: true, rules: [{ id: 'acme-llm' }, { id: 'billing' }] });
  });

  it.each<[string, unknown, string[]]>([
    ['not an array', { id: 'x' }, ['']],
    ['bad regex', [{ kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [{ kind: 'image', pattern: '(' }] }], ['0.match.0.pattern']],
    ['unknown role', [{ kind: 'role', id: 'a', role: 'oracle', confidence: 0.5, match: [{ kind: 'image', pattern: 'x' }] }], ['0.role']],
    ['confidence out of range', [{ kind: 'role', id: 'a', role: 'ui', confidence: 2, match: [{ kind: 'image', pattern: 'x' }] }], ['0.confidence']],
    ['empty match', [{ kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [] }], ['0.match']],
    ['bad port', [{ kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [{ kind: 'port', ports: [70000] }] }], ['0.match.0.ports.0']],
    ['bad domain glob', [{ kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [{ kind: 'domain', pattern: 'a b' }] }], ['0.match.0.pattern']],
    [
      'duplicate ids',
      [
        { kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [{ kind: 'image', pattern: 'x' }] },
        { kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [{ kind: 'image', pattern: 'y' }] },
      ],
      ['1.id'],
    ],
    ['traffic in a sensitivity rule', [{ kind: 'sensitivity', id: 's', level: 'internal', match: [{ kind: 'calls', roles: ['ui'] }] }], ['0.match']],
    ['unknown field', [{ kind: 'role', id: 'a', role: 'ui', confidence: 0.5, match: [{ kind: 'image', pattern: 'x' }], extra: 1 }], ['0']],
  ])('rejects %s with field paths', (_title, input, paths) => {
    const result = parseGenAiRules(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('invalid-rules');
      expect(result.error.issues.map((issue) => issue.path)).toEqual(paths);
    }
  });
});
