import { describe, expect, it } from 'vitest';
import { classifySensitivity, isSensitive } from './classify-sensitivity';
import type { SensitivityLevel, SensitivityTag } from './types';

describe('classifySensitivity', () => {
  it.each<[string, Record<string, string>, SensitivityLevel | null, SensitivityTag[]]>([
    ['data-classification: pii', { 'data-classification': 'pii' }, 'confidential', ['pii']],
    ['dataClassification: restricted', { dataClassification: 'restricted' }, 'restricted', []],
    ['data.classification: phi,confidential', { 'data.classification': 'phi,confidential' }, 'confidential', ['phi']],
    ['prefixed key', { 'example.com/data_classification': 'PCI' }, 'confidential', ['pci']],
    ['sensitivity: secret', { sensitivity: 'secret' }, 'restricted', []],
    ['pii: "true"', { pii: 'true' }, 'confidential', ['pii']],
    ['pii: "false"', { pii: 'false' }, null, []],
    ['public', { 'data-classification': 'public' }, 'public', []],
    ['internal', { classification: 'internal' }, 'internal', []],
    ['unrelated labels', { app: 'pii-scanner', tier: 'restricted' }, null, []],
  ])('%s', (_title, values, level, tags) => {
    const result = classifySensitivity([{ origin: 'label', scope: 'workload', values }]);
    if (level === null) expect(result).toBeNull();
    else expect(result).toMatchObject({ level, tags });
  });

  it('takes the highest level across workload and namespace, and accumulates tags', () => {
    const result = classifySensitivity([
      { origin: 'label', scope: 'workload', values: { 'data-classification': 'internal' } },
      { origin: 'annotation', scope: 'workload', values: { phi: 'yes' } },
      { origin: 'label', scope: 'namespace', values: { sensitivity: 'restricted' } },
    ]);
    expect(result?.level).toBe('restricted');
    expect(result?.tags).toEqual(['phi']);
    expect(result?.evidence.map((item) => item.detail)).toEqual(['label data-classification=internal', 'annotation phi=yes', 'namespace label sensitivity=restricted']);
  });

  it.each([
    [null, false],
    [{ level: 'internal' as const, tags: [], evidence: [] }, false],
    [{ level: 'confidential' as const, tags: [], evidence: [] }, true],
    [{ level: 'public' as const, tags: ['pii' as const], evidence: [] }, true],
  ])('isSensitive(%j) = %s', (sensitivity, expected) => {
    expect(isSensitive(sensitivity)).toBe(expected);
  });
});
