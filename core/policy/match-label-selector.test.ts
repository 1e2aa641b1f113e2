import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../inventory/types';
import { matchLabelSelector } from './match-label-selector';

const selector = (partial: Partial<LabelSelector>): LabelSelector => ({ matchLabels: {}, matchExpressions: [], ...partial });

describe('matchLabelSelector', () => {
  it.each([
    ['empty selector matches anything', selector({}), { app: 'x' }, true],
    ['empty selector matches no labels', selector({}), {}, true],
    ['matchLabels equal', selector({ matchLabels: { app: 'web' } }), { app: 'web', tier: 'a' }, true],
    ['matchLabels differ', selector({ matchLabels: { app: 'web' } }), { app: 'db' }, false],
    ['matchLabels missing key', selector({ matchLabels: { app: 'web' } }), {}, false],
    ['In hit', selector({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] }), { env: 'stage' }, true],
    ['In miss', selector({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }), { env: 'dev' }, false],
    ['In absent key', selector({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }), {}, false],
    ['NotIn hit', selector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }), { env: 'prod' }, false],
    ['NotIn absent key matches', selector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }), {}, true],
    ['Exists', selector({ matchExpressions: [{ key: 'env', operator: 'Exists', values: [] }] }), { env: '' }, true],
    ['Exists absent', selector({ matchExpressions: [{ key: 'env', operator: 'Exists', values: [] }] }), {}, false],
    ['DoesNotExist', selector({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: [] }] }), { app: 'x' }, true],
    ['DoesNotExist present', selector({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: [] }] }), { env: 'x' }, false],
    [
      'labels and expressions are ANDed',
      selector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }),
      { app: 'web', env: 'dev' },
      false,
    ],
  ])('%s', (_name, sel, labels, expected) => {
    expect(matchLabelSelector(sel, labels)).toBe(expected);
  });
});
