import { FieldProblem, isRecord, joinField, optionalList, readStringMap } from './read-fields';
import type { LabelSelector, LabelSelectorRequirement, SelectorOperator } from './types';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** The selector that selects everything (`{}`). */
export const EMPTY_SELECTOR: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/**
 * Validates a raw label selector the way the API server does: known operator, values present for
 * In/NotIn and absent for Exists/DoesNotExist. Throws `FieldProblem` (caught by `buildInventory`).
 */
export function parseLabelSelector(value: unknown, field: string): LabelSelector {
  if (value === undefined || value === null) return EMPTY_SELECTOR;
  if (!isRecord(value)) throw new FieldProblem(field, 'selector must be an object');
  const matchLabels = readStringMap(value['matchLabels'], joinField(field, 'matchLabels'));
  const matchExpressions: LabelSelectorRequirement[] = [];
  optionalList(value, 'matchExpressions', field).forEach((raw, index) => {
    const at = joinField(joinField(field, 'matchExpressions'), index);
    if (!isRecord(raw)) throw new FieldProblem(at, 'must be an object');
    const key = raw['key'];
    if (typeof key !== 'string' || key === '') throw new FieldProblem(joinField(at, 'key'), 'key is required');
    const operator = raw['operator'];
    if (typeof operator !== 'string' || !OPERATORS.includes(operator as SelectorOperator)) {
      throw new FieldProblem(
        joinField(at, 'operator'),
        `invalid selector operator ${JSON.stringify(operator)} (expected In, NotIn, Exists or DoesNotExist)`,
      );
    }
    const values = optionalList(raw, 'values', at).map((item, valueIndex) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number' || typeof item === 'boolean') return String(item);
      throw new FieldProblem(joinField(joinField(at, 'values'), valueIndex), 'must be a string');
    });
    const op = operator as SelectorOperator;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      throw new FieldProblem(joinField(at, 'values'), `operator ${op} needs at least one value`);
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      throw new FieldProblem(joinField(at, 'values'), `operator ${op} takes no values`);
    }
    matchExpressions.push({ key, operator: op, values });
  });
  return { matchLabels, matchExpressions };
}
