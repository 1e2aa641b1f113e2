/**
 * The normalized Kubernetes object model flowlens works on.
 *
 * Everything here is plain data (JSON-serialisable), built by `buildInventory` from already-decoded
 * objects or by `loadManifestDocuments` from YAML/JSON text. Wire shapes (raw manifests) never leave
 * this folder: the policy engine, the GenAI classifier and the collector's IP → pod → workload
 * enrichment all read these types.
 */

/** Label or annotation map. Keys and values are strings, as in Kubernetes. */
export type StringMap = Readonly<Record<string, string>>;

/** Transport protocols NetworkPolicy can name. ICMP is not modelled by Kubernetes policies. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Kinds that own pods. `Pod` is a bare pod (no controller) or a pod split from its siblings. */
export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'Job'
  | 'CronJob'
  | 'Pod';

export interface ContainerPort {
  /** IANA service name, used by named ports in policies (`port: http`). */
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly ContainerPort[];
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Names of `env` entries only: values may hold secrets and are never kept. */
  readonly envNames: readonly string[];
  /** `envFrom` sources, e.g. `configMap:webapp-config`, `secret:db-credentials`. */
  readonly envFrom: readonly string[];
}

/** What a workload stamps onto its pods (the pod template, or the pod itself for bare pods). */
export interface PodTemplate {
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
  readonly serviceAccountName?: string;
  readonly hostNetwork: boolean;
}

export interface WorkloadRef {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
}

export interface InventoryNamespace {
  readonly name: string;
  /** Always includes `kubernetes.io/metadata.name`, which the API server sets on every namespace. */
  readonly labels: StringMap;
  readonly annotations: StringMap;
  /** False when the namespace was only implied by an object inside it. */
  readonly declared: boolean;
}

export interface InventoryPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  /** `status.podIPs` (or `status.podIP`), IPv4 and IPv6; empty for manifests. */
  readonly ips: readonly string[];
  readonly hostIp?: string;
  readonly nodeName?: string;
  readonly hostNetwork: boolean;
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
  /** The controlling workload after following ownerReferences (pod → ReplicaSet → Deployment). */
  readonly owner: WorkloadRef;
}

export interface InventoryWorkload {
  /** Stable id `namespace/Kind/name`. */
  readonly id: string;
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** The workload object's own labels and annotations (not the template's). */
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly template: PodTemplate;
  readonly replicas?: number;
  /** Names of live pods owned by it (empty for manifests without pods). */
  readonly podNames: readonly string[];
  /** `manifest` when the workload object was given, `owner-reference` when only its pods named it. */
  readonly origin: 'manifest' | 'owner-reference' | 'bare-pod';
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** Number, or a container port name; defaults to `port`. */
  readonly targetPort: number | string;
  readonly protocol: Protocol;
  readonly nodePort?: number;
}

export interface InventoryService {
  readonly namespace: string;
  readonly name: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  /** Undefined for services without a selector (manually managed endpoints). */
  readonly selector?: StringMap;
  readonly type: string;
  readonly clusterIp?: string;
  readonly clusterIps: readonly string[];
  readonly externalName?: string;
  readonly ports: readonly ServicePort[];
}

/** One backend an Ingress or an OpenShift Route sends traffic to. */
export interface ExposureBackend {
  readonly serviceName: string;
  /** Service port number or name; undefined means every port of the service. */
  readonly servicePort?: number | string;
}

/** An Ingress or Route: traffic from the cluster ingress controller to services. */
export interface InventoryExposure {
  readonly kind: 'Ingress' | 'Route';
  readonly namespace: string;
  readonly name: string;
  readonly hosts: readonly string[];
  readonly backends: readonly ExposureBackend[];
}

// ---------------------------------------------------------------------------------------------
// Policies (validated and normalized; defaults already applied).

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A Kubernetes label selector. Empty (no labels, no expressions) selects everything. */
export interface LabelSelector {
  readonly matchLabels: StringMap;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface IpBlock {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** One `from`/`to` entry. At least one field is set; selectors in one peer are ANDed. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

export interface NetworkPolicyPort {
  readonly protocol: Protocol;
  /** Undefined: every port of the protocol. A string is a named container port. */
  readonly port?: number | string;
  /** Inclusive end of a numeric range starting at `port`. */
  readonly endPort?: number;
}

export interface NetworkPolicyRule {
  /** Empty means every peer (the `from`/`to` field was absent or empty). */
  readonly peers: readonly NetworkPolicyPeer[];
  /** Empty means every protocol and port. */
  readonly ports: readonly NetworkPolicyPort[];
}

export type PolicyDirection = 'Ingress' | 'Egress';

export interface NetworkPolicy {
  readonly kind: 'NetworkPolicy';
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** After defaulting: Ingress always unless explicitly omitted; Egress when egress rules exist. */
  readonly policyTypes: readonly PolicyDirection[];
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
}

/** AdminNetworkPolicy subject: all pods of selected namespaces, or selected pods. */
export type AdminPolicySubject =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector };

export type AdminPolicyPeer =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector }
  /** Egress only: CIDRs outside (the reference never matches them against cluster pods). */
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  /** Egress only: node selectors. flowlens does not model nodes, so these never match. */
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelector };

export type AdminPolicyPort =
  | { readonly kind: 'portNumber'; readonly protocol: Protocol; readonly port: number }
  | { readonly kind: 'namedPort'; readonly name: string }
  | { readonly kind: 'portRange'; readonly protocol: Protocol; readonly start: number; readonly end: number };

export type AdminPolicyAction = 'Allow' | 'Deny' | 'Pass';

export interface AdminPolicyRule {
  readonly name?: string;
  readonly action: AdminPolicyAction;
  readonly peers: readonly AdminPolicyPeer[];
  /** Undefined: every protocol and port. */
  readonly ports?: readonly AdminPolicyPort[];
}

export interface AdminNetworkPolicy {
  readonly kind: 'AdminNetworkPolicy';
  readonly name: string;
  /** 0–1000; lower numbers take precedence. */
  readonly priority: number;
  readonly subject: AdminPolicySubject;
  readonly ingress: readonly AdminPolicyRule[];
  readonly egress: readonly AdminPolicyRule[];
}

/** Cluster singleton (`default`) evaluated after NetworkPolicy. Actions are Allow or Deny only. */
export interface BaselineAdminNetworkPolicy {
  readonly kind: 'BaselineAdminNetworkPolicy';
  readonly name: string;
  readonly subject: AdminPolicySubject;
  readonly ingress: readonly AdminPolicyRule[];
  readonly egress: readonly AdminPolicyRule[];
}

export type AnyPolicy = NetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy;

/** Names a policy in explanations. `namespace` is absent for cluster-scoped policies. */
export interface PolicyRef {
  readonly kind: AnyPolicy['kind'];
  readonly namespace?: string;
  readonly name: string;
}

export interface Inventory {
  readonly namespaces: readonly InventoryNamespace[];
  readonly pods: readonly InventoryPod[];
  readonly workloads: readonly InventoryWorkload[];
  readonly services: readonly InventoryService[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly adminNetworkPolicies: readonly AdminNetworkPolicy[];
  readonly baselineAdminNetworkPolicies: readonly BaselineAdminNetworkPolicy[];
  readonly exposures: readonly InventoryExposure[];
}

/** Why an object (or part of it) was not loaded. `field` is a dotted path inside the document. */
export interface InventoryError {
  readonly kind: 'yaml-syntax' | 'not-an-object' | 'unsupported-api-version' | 'invalid-field';
  /** Index of the object among those passed to `buildInventory` (0-based). */
  readonly objectIndex: number;
  /** `Kind namespace/name` when known. */
  readonly object?: string;
  readonly field?: string;
  readonly message: string;
}

export function workloadId(ref: WorkloadRef): string {
  return `${ref.namespace}/${ref.kind}/${ref.name}`;
}
