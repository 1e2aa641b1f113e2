import type { PolicyRefDto } from '@/lib/api/policies';

/** `ns/name` for namespaced policies, the name alone for cluster-scoped ones, with ANP/BANP marked. */
export function formatPolicyRef(ref: PolicyRefDto): string {
  const prefix = ref.kind === 'AdminNetworkPolicy' ? 'ANP ' : ref.kind === 'BaselineAdminNetworkPolicy' ? 'BANP ' : '';
  return `${prefix}${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
}
