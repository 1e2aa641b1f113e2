import 'server-only';
import { genAiNodeLabel, type GenAiNode } from '@/core/genai';
import type { GenAiNodeRefDto } from '../../api/genai';
import { OUTSIDE_SCOPE_LABEL } from '../auth/data-scope';

/** A node id as the UI draws it, classified or not (unknown peers, masked ends). */
export function genAiNodeRef(id: string, node: GenAiNode | undefined): GenAiNodeRefDto {
  const [cluster = '', , kind] = id.split('/');
  const label = kind === 'outside' ? OUTSIDE_SCOPE_LABEL : node?.kind === 'external' && !node.domain ? id.split('/').slice(3).join('/') : genAiNodeLabel(node, id);
  return {
    id,
    cluster,
    label,
    kind: node ? node.kind : kind === 'workload' ? 'workload' : kind === 'external' ? 'external' : 'other',
    roles: node ? node.roles.map((assignment) => assignment.role) : [],
    sensitivity: node?.sensitivity ? { level: node.sensitivity.level, tags: [...node.sensitivity.tags] } : null,
  };
}

/** Refs for every id in `ids`. */
export function genAiNodeRefs(ids: Iterable<string>, nodeById: ReadonlyMap<string, GenAiNode>): Record<string, GenAiNodeRefDto> {
  const refs: Record<string, GenAiNodeRefDto> = {};
  for (const id of ids) refs[id] ??= genAiNodeRef(id, nodeById.get(id));
  return refs;
}
