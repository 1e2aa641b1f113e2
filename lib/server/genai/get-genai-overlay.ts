import 'server-only';
import type { Sql } from 'postgres';
import type { GenAiRole, SensitivityLevel, SensitivityTag } from '@/core/genai';
import type { GenAiOverlayDto } from '../../api/genai';
import type { Session } from '../auth/get-session';
import { analyseGenAi } from './analyse-genai';

export interface GenAiOverlayQuery {
  /** Cluster names; empty = every cluster in scope. */
  clusters: readonly string[];
  fromMs: number;
  toMs: number;
}

/**
 * What the graph draws on top of its nodes (shape documented in lib/api/genai.ts): the GenAI roles and
 * data sensitivity per node id, and the data-access paths as node-id chains. Same analysis (and cache)
 * as `/genai`, so the graph and the GenAI view agree.
 */
export async function getGenAiOverlay(session: Session, query: GenAiOverlayQuery, options: { sql?: Sql; nowMs?: number } = {}): Promise<GenAiOverlayDto> {
  const analysis = await analyseGenAi(session, query, options);
  const roles: Record<string, GenAiRole[]> = {};
  const sensitivity: Record<string, SensitivityLevel> = {};
  const tags: Record<string, SensitivityTag[]> = {};
  const paths: string[][] = [];
  for (const cluster of analysis.clusters) {
    for (const node of cluster.nodes) {
      if (node.roles.length > 0) roles[node.id] = node.roles.map((assignment) => assignment.role);
      if (node.sensitivity) {
        sensitivity[node.id] = node.sensitivity.level;
        if (node.sensitivity.tags.length > 0) tags[node.id] = [...node.sensitivity.tags];
      }
    }
    for (const path of cluster.paths) paths.push([...path.nodeIds]);
  }
  return { roles, sensitivity, tags, paths };
}
