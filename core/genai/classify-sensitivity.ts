import type { StringMap } from '../inventory/types';
import { SENSITIVITY_LEVELS, type GenAiEvidence, type GenAiSensitivity, type SensitivityLevel, type SensitivityTag } from './types';

/** A label or annotation map and where it came from (the workload or its namespace). */
export interface SensitivitySource {
  readonly origin: 'label' | 'annotation';
  readonly scope: 'workload' | 'namespace';
  readonly values: StringMap;
}

/** A level set by an admin rule, with the rule's evidence. */
export interface SensitivityOverride {
  readonly level: SensitivityLevel;
  readonly tags: readonly SensitivityTag[];
  readonly evidence: GenAiEvidence;
}

// Keys are compared after dropping any `prefix/`, lower-casing and removing `-`, `_`, `.`, so
// `data-classification`, `dataClassification`, `data.classification`, `example.com/data_classification` are one key.
const LEVEL_KEYS = new Set([
  'dataclassification',
  'classification',
  'dataclass',
  'datasensitivity',
  'sensitivity',
  'sensitivitylevel',
  'confidentiality',
  'securityclassification',
  'datalevel',
  'compliance',
]);
const FLAG_KEYS: Readonly<Record<string, SensitivityTag>> = {
  pii: 'pii',
  containspii: 'pii',
  haspii: 'pii',
  personaldata: 'pii',
  gdpr: 'pii',
  pci: 'pci',
  pcidss: 'pci',
  phi: 'phi',
  hipaa: 'phi',
};
const TRUE_VALUES = new Set(['true', 'yes', 'y', '1', 'enabled', 'on']);

const LEVEL_WORDS: Readonly<Record<string, SensitivityLevel>> = {
  public: 'public',
  open: 'public',
  internal: 'internal',
  internalonly: 'internal',
  private: 'confidential',
  confidential: 'confidential',
  sensitive: 'confidential',
  restricted: 'restricted',
  secret: 'restricted',
  topsecret: 'restricted',
  highlyconfidential: 'restricted',
  strictlyconfidential: 'restricted',
  highlysensitive: 'restricted',
};
const TAG_WORDS: Readonly<Record<string, SensitivityTag>> = {
  pii: 'pii',
  personal: 'pii',
  personaldata: 'pii',
  gdpr: 'pii',
  pci: 'pci',
  pcidss: 'pci',
  cardholder: 'pci',
  phi: 'phi',
  hipaa: 'phi',
  health: 'phi',
};

const normalizeKey = (key: string): string => key.slice(key.lastIndexOf('/') + 1).toLowerCase().replace(/[-_.\s]/g, '');

/** Orders levels: `public` < `internal` < `confidential` < `restricted`. */
export function sensitivityRank(level: SensitivityLevel): number {
  return SENSITIVITY_LEVELS.indexOf(level);
}

/** True when the data deserves protection: at least `confidential`, or tagged PII/PCI/PHI. */
export function isSensitive(sensitivity: GenAiSensitivity | null): boolean {
  return sensitivity !== null && (sensitivity.tags.length > 0 || sensitivityRank(sensitivity.level) >= sensitivityRank('confidential'));
}

/**
 * Reads a sensitivity from labels and annotations (`data-classification: pii`, `sensitivity:
 * restricted`, `pii: "true"`, …) of the workload and its namespace, plus admin overrides. The
 * highest level wins; tags accumulate; PII/PCI/PHI imply at least `confidential`. Null when nothing
 * says anything.
 */
export function classifySensitivity(sources: readonly SensitivitySource[], overrides: readonly SensitivityOverride[] = []): GenAiSensitivity | null {
  let level: SensitivityLevel | undefined;
  const tags = new Set<SensitivityTag>();
  const evidence: GenAiEvidence[] = [];
  const raise = (candidate: SensitivityLevel): void => {
    if (level === undefined || sensitivityRank(candidate) > sensitivityRank(level)) level = candidate;
  };
  for (const source of sources) {
    for (const [key, value] of Object.entries(source.values)) {
      const normalized = normalizeKey(key);
      const where = `${source.scope === 'namespace' ? 'namespace ' : ''}${source.origin} ${key}=${value}`;
      const flag = FLAG_KEYS[normalized];
      if (flag !== undefined) {
        if (TRUE_VALUES.has(value.trim().toLowerCase())) {
          tags.add(flag);
          evidence.push({ source: source.origin, detail: where });
        }
        continue;
      }
      if (!LEVEL_KEYS.has(normalized)) continue;
      let matched = false;
      for (const word of value.toLowerCase().split(/[,;|\s/+]+/)) {
        const token = word.replace(/[-_.]/g, '');
        const wordLevel = LEVEL_WORDS[token];
        const wordTag = TAG_WORDS[token];
        if (wordLevel !== undefined) {
          raise(wordLevel);
          matched = true;
        }
        if (wordTag !== undefined) {
          tags.add(wordTag);
          matched = true;
        }
      }
      if (matched) evidence.push({ source: source.origin, detail: where });
    }
  }
  for (const override of overrides) {
    raise(override.level);
    for (const tag of override.tags) tags.add(tag);
    evidence.push(override.evidence);
  }
  if (level === undefined && tags.size === 0) return null;
  if (tags.size > 0) raise('confidential');
  return { level: level ?? 'confidential', tags: [...tags].sort(), evidence };
}
