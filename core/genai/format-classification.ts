import type { GenAiEvidence, GenAiNode, GenAiRole, SensitivityLevel, SensitivityTag } from './types';

/** One workload as `flowlens classify` prints it. */
export interface ClassificationRow {
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly roles: readonly { readonly role: GenAiRole; readonly confidence: number; readonly evidence: readonly GenAiEvidence[] }[];
  readonly sensitivity: { readonly level: SensitivityLevel; readonly tags: readonly SensitivityTag[]; readonly evidence: readonly GenAiEvidence[] } | null;
}

/** Workload nodes as `{ namespace, name, kind, roles, sensitivity }` rows (external peers are left out), sorted by namespace and name. */
export function formatClassification(nodes: readonly GenAiNode[]): ClassificationRow[] {
  return nodes
    .filter((node) => node.kind === 'workload')
    .map((node) => ({
      namespace: node.namespace ?? '',
      name: node.name,
      kind: node.workloadKind ?? 'Deployment',
      roles: node.roles.map((assignment) => ({ role: assignment.role, confidence: assignment.confidence, evidence: assignment.evidence })),
      sensitivity: node.sensitivity ? { level: node.sensitivity.level, tags: node.sensitivity.tags, evidence: node.sensitivity.evidence } : null,
    }))
    .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
