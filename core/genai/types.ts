/**
 * The GenAI model: roles a node plays, the evidence for each, data sensitivity, observed edges,
 * data-access paths and findings. Plain JSON-serialisable data: the `/genai` page, the graph
 * overlay and `flowlens classify` all read these shapes.
 */
import type { PolicyAction, Protocol, Verdict } from '../flow/types';
import type { WorkloadKind } from '../inventory/types';

/**
 * What a node does in a GenAI system.
 * - `rag-app`: an application that calls LLMs (RAG backend, chat backend, agent, megaservice).
 * - `rag-component`: a RAG pipeline micro-service that is not the app itself (retriever, document
 *   ingestion / data-prep, indexer): it reads or writes the vector store on the app's behalf.
 * - `guardrail`: a safety filter in front of or behind the LLM (Llama Guard, NeMo Guardrails, …).
 * - `ingress`: a reverse proxy or ingress controller; paths start at these and at the internet.
 * - `ui`: a chat front end.
 * - `data-store`: databases, object stores, search engines (not specifically GenAI, but the data
 *   GenAI apps reach).
 * - `metrics-scraper`: Prometheus, vmagent, OpenTelemetry collectors and other telemetry agents: they
 *   call every service they monitor, so their calls are scrapes, not use (no RAG role, no exposure).
 */
export const GENAI_ROLES = [
  'llm-inference',
  'embedding',
  'reranker',
  'vector-db',
  'llm-gateway',
  'rag-app',
  'rag-component',
  'guardrail',
  'data-store',
  'external-llm-api',
  'model-hub',
  'ingress',
  'ui',
  'metrics-scraper',
] as const;
export type GenAiRole = (typeof GENAI_ROLES)[number];

/** Roles that make a node a "GenAI component" (coverage findings, path intermediates). */
export const GENAI_COMPONENT_ROLES: readonly GenAiRole[] = [
  'llm-inference',
  'embedding',
  'reranker',
  'vector-db',
  'llm-gateway',
  'rag-app',
  'rag-component',
  'guardrail',
];

/** Roles of servers that should only be reached by their own application. */
export const GENAI_BACKEND_ROLES: readonly GenAiRole[] = ['llm-inference', 'embedding', 'reranker', 'vector-db'];

/** Roles of nodes that hold data (sensitive when their sensitivity says so). */
export const GENAI_STORE_ROLES: readonly GenAiRole[] = ['data-store', 'vector-db'];

/** Roles that mean "this node calls an LLM". */
export const GENAI_LLM_ROLES: readonly GenAiRole[] = ['llm-inference', 'llm-gateway', 'external-llm-api'];

export const GENAI_EVIDENCE_SOURCES = ['image', 'port', 'arg', 'label', 'annotation', 'env', 'service', 'domain', 'traffic', 'rule'] as const;
/**
 * Where a piece of evidence comes from. `service` covers names: the workload's own name, the names
 * of Services that select it and its container names; `rule` is an admin rule or a namespace scope.
 */
export type GenAiEvidenceSource = (typeof GENAI_EVIDENCE_SOURCES)[number];

export interface GenAiEvidence {
  readonly source: GenAiEvidenceSource;
  /** Human-readable, e.g. `image ghcr.io/huggingface/text-embeddings-inference matches TEI`. */
  readonly detail: string;
}

// ---------------------------------------------------------------------------------------------
// Rules (data). Admins add or override them; `parseGenAiRules` validates them.

/** One condition of a rule. All conditions of a rule must hold. Patterns are case-insensitive regexes. */
export type GenAiCondition =
  /** Image repository without registry-less normalisation, tag or digest, e.g. `ghcr.io/huggingface/text-embeddings-inference`. */
  | { readonly kind: 'image'; readonly pattern: string }
  /** Container ports and the ports of Services selecting the workload. */
  | { readonly kind: 'port'; readonly ports: readonly number[] }
  /** Each container's command and args joined by spaces. */
  | { readonly kind: 'arg'; readonly pattern: string }
  /** Label key (exact, case-insensitive) with an optional value regex; workload and pod-template labels. */
  | { readonly kind: 'label'; readonly key: string; readonly value?: string }
  | { readonly kind: 'annotation'; readonly key: string; readonly value?: string }
  /** Environment variable names (never values) and `envFrom` source names. */
  | { readonly kind: 'env'; readonly pattern: string }
  /** Workload name, names of Services selecting it, container names, and app-name labels (`app`, `app.kubernetes.io/name|component`, …). */
  | { readonly kind: 'name'; readonly pattern: string }
  /** External peer domain, as a glob: `*` matches one or more DNS labels (`*.openai.azure.com`). */
  | { readonly kind: 'domain'; readonly pattern: string }
  /** Namespace name regex: scopes a rule. */
  | { readonly kind: 'namespace'; readonly pattern: string }
  /**
   * Traffic shape (second pass): the node has an observed allowed edge to a node holding one of
   * `roles` (from the first pass). `negate`: it has none.
   */
  | { readonly kind: 'calls'; readonly roles: readonly GenAiRole[]; readonly negate?: boolean };

export type GenAiConditionKind = GenAiCondition['kind'];

/** Assigns (or, with `effect: 'suppress'`, removes) a role when every condition holds. */
export interface GenAiRoleRule {
  readonly kind: 'role';
  /** Stable id; a custom rule with the id of a default rule replaces it. */
  readonly id: string;
  readonly role: GenAiRole;
  /** Weight of this rule's evidence (0–1); several matched rules combine as independent evidence. */
  readonly confidence: number;
  readonly match: readonly GenAiCondition[];
  /** Roles dropped from the node when this rule's role is kept (TEI + "rerank" ⇒ reranker, not embedding). */
  readonly replaces?: readonly GenAiRole[];
  readonly effect?: 'assign' | 'suppress';
  readonly enabled?: boolean;
  readonly description?: string;
}

export const SENSITIVITY_LEVELS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type SensitivityLevel = (typeof SENSITIVITY_LEVELS)[number];
export const SENSITIVITY_TAGS = ['pii', 'pci', 'phi'] as const;
export type SensitivityTag = (typeof SENSITIVITY_TAGS)[number];

/** Sets a sensitivity on matching nodes (an admin's "namespace billing is restricted, PCI"). */
export interface GenAiSensitivityRule {
  readonly kind: 'sensitivity';
  readonly id: string;
  readonly match: readonly GenAiCondition[];
  readonly level: SensitivityLevel;
  readonly tags?: readonly SensitivityTag[];
  readonly enabled?: boolean;
  readonly description?: string;
}

export type GenAiRule = GenAiRoleRule | GenAiSensitivityRule;

// ---------------------------------------------------------------------------------------------
// Classified nodes.

export interface GenAiRoleAssignment {
  readonly role: GenAiRole;
  /** 0–1, rounded to 2 decimals. */
  readonly confidence: number;
  readonly evidence: readonly GenAiEvidence[];
  /** Ids of the rules that matched. */
  readonly ruleIds: readonly string[];
}

export interface GenAiSensitivity {
  readonly level: SensitivityLevel;
  readonly tags: readonly SensitivityTag[];
  readonly evidence: readonly GenAiEvidence[];
}

export interface GenAiNode {
  /** Stable node id `cluster/namespace/kind/name` (see `endpointNodeId`). */
  readonly id: string;
  readonly kind: 'workload' | 'external';
  readonly namespace?: string;
  /** Workload name, or for external peers the domain (else the IP). */
  readonly name: string;
  readonly workloadKind?: WorkloadKind;
  readonly domain?: string;
  readonly ip?: string;
  /** Application the workload belongs to (`app.kubernetes.io/part-of`, `…/instance`, else the namespace). */
  readonly application?: string;
  /** Sorted by confidence, highest first. Empty: not a GenAI-relevant node. */
  readonly roles: readonly GenAiRoleAssignment[];
  /** Null when nothing says how sensitive the node's data is. */
  readonly sensitivity: GenAiSensitivity | null;
}

/** An external peer seen in traffic (the caller mints its node id, as the graph does). */
export interface GenAiExternalPeer {
  readonly id: string;
  readonly domain?: string;
  readonly ip?: string;
}

// ---------------------------------------------------------------------------------------------
// Observed traffic.

export interface ObservedPolicy {
  readonly kind: string;
  readonly tier?: string;
  readonly namespace?: string;
  readonly name: string;
  readonly action: PolicyAction;
}

/** Traffic between two nodes in a window, aggregated per destination port, protocol and verdict. */
export interface ObservedEdge {
  /** Stable edge id; defaults to `edgeId(source, destination, port, protocol)` (see `observedEdgeId`). */
  readonly id?: string;
  readonly sourceNodeId: string;
  readonly destinationNodeId: string;
  readonly destinationPort: number | null;
  readonly protocol: Protocol;
  readonly verdict: Verdict;
  readonly flows: number;
  readonly bytesOut: number;
  readonly bytesIn: number;
  /** Policies seen deciding these flows (empty: allowed with no policy). */
  readonly policies: readonly ObservedPolicy[];
  /** A few flow ids the UI can open as evidence. */
  readonly evidenceFlowIds?: readonly string[];
}

/** Bytes one workload sent to one external peer on one day (UTC day start). */
export interface DailyEgress {
  readonly sourceNodeId: string;
  readonly destinationNodeId: string;
  readonly dayStartMs: number;
  readonly bytesOut: number;
}

// ---------------------------------------------------------------------------------------------
// Paths and findings.

/** One hop of a path: every observed allowed edge between two consecutive nodes. */
export interface GenAiPathHop {
  readonly sourceNodeId: string;
  readonly destinationNodeId: string;
  readonly edgeIds: readonly string[];
  readonly ports: readonly string[];
  readonly flows: number;
  readonly bytesOut: number;
  /** `kind namespace/name` of each allowing policy, deduplicated; empty: allowed by default (no policy). */
  readonly policies: readonly string[];
  readonly evidenceFlowIds: readonly string[];
}

export type GenAiPathTarget = 'sensitive-store' | 'external-llm-api';

export interface GenAiPath {
  /** Stable: built from the node ids. */
  readonly id: string;
  readonly target: GenAiPathTarget;
  /** Null when no entry point reaches the accessor in the window (the path starts at the accessor). */
  readonly entryNodeId: string | null;
  /** The GenAI workload that touches the target (the last hop's source). */
  readonly accessorNodeId: string;
  readonly targetNodeId: string;
  /** Left to right, entry (or accessor) first, target last. */
  readonly nodeIds: readonly string[];
  readonly hops: readonly GenAiPathHop[];
}

export type GenAiSeverity = 'critical' | 'high' | 'medium' | 'low';
export const GENAI_SEVERITIES: readonly GenAiSeverity[] = ['critical', 'high', 'medium', 'low'];

export const GENAI_FINDING_KINDS = [
  'sensitive-data-to-external-llm',
  'genai-exposed',
  'genai-unprotected',
  'model-pull',
  'denied-attempt',
  'new-sensitive-edge',
  'llm-egress-spike',
] as const;
export type GenAiFindingKind = (typeof GENAI_FINDING_KINDS)[number];

export type GenAiFindingEvidence =
  | { readonly kind: 'edge'; readonly edge: ObservedEdge; readonly edgeId: string }
  | { readonly kind: 'role'; readonly nodeId: string; readonly role: GenAiRole; readonly confidence: number }
  | { readonly kind: 'sensitivity'; readonly nodeId: string; readonly level: SensitivityLevel; readonly tags: readonly SensitivityTag[] }
  | { readonly kind: 'coverage'; readonly nodeId: string; readonly ingressGoverned: boolean; readonly egressGoverned: boolean }
  | {
      readonly kind: 'baseline';
      readonly sourceNodeId: string;
      readonly destinationNodeId: string;
      readonly dayStartMs: number;
      readonly bytesOut: number;
      readonly baselineBytesPerDay: number;
      readonly baselineDays: number;
    };

export interface GenAiFinding {
  /** Stable across runs over the same data: kind + subject node ids. */
  readonly id: string;
  readonly kind: GenAiFindingKind;
  readonly severity: GenAiSeverity;
  readonly title: string;
  readonly explanation: string;
  /** Node ids to highlight, in data-flow order where there is one. */
  readonly path: readonly string[];
  readonly evidence: readonly GenAiFindingEvidence[];
}
