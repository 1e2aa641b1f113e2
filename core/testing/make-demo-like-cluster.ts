import type { ObservedEdge, ObservedEndpoint } from '../policy/what-if';

/**
 * A small copy of the demo's GenAI platform for policy tests: raw Kubernetes objects (namespaces,
 * Deployments/StatefulSets with pods, NetworkPolicies — `data` and `payments` default-deny, `llm` and
 * `kube-system` without any policy) and the traffic the demo produces, aggregated as observed edges.
 */
type Json = Record<string, unknown>;

interface WorkloadSpec {
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  ports: Array<{ name: string; containerPort: number; protocol?: string }>;
  ip: string;
  labelKey?: string;
}

const WORKLOADS: WorkloadSpec[] = [
  { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', kind: 'Deployment', ports: [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }], ip: '10.42.0.24' },
  { namespace: 'chat', name: 'chat-ui', kind: 'Deployment', ports: [{ name: 'http', containerPort: 8080 }], ip: '10.42.3.39' },
  { namespace: 'chat', name: 'rag-api', kind: 'Deployment', ports: [{ name: 'http', containerPort: 8000 }], ip: '10.42.1.31' },
  { namespace: 'llm', name: 'vllm', kind: 'Deployment', ports: [{ name: 'http', containerPort: 8000 }], ip: '10.42.4.41' },
  { namespace: 'llm', name: 'tei-embed', kind: 'Deployment', ports: [{ name: 'http', containerPort: 80 }], ip: '10.42.2.30' },
  { namespace: 'llm', name: 'tei-rerank', kind: 'Deployment', ports: [{ name: 'http', containerPort: 80 }], ip: '10.42.3.45' },
  { namespace: 'vectordb', name: 'qdrant', kind: 'StatefulSet', ports: [{ name: 'http', containerPort: 6333 }, { name: 'grpc', containerPort: 6334 }], ip: '10.42.1.36' },
  { namespace: 'data', name: 'postgres', kind: 'StatefulSet', ports: [{ name: 'postgresql', containerPort: 5432 }, { name: 'metrics', containerPort: 9187 }], ip: '10.42.1.48' },
  { namespace: 'data', name: 'minio', kind: 'StatefulSet', ports: [{ name: 'api', containerPort: 9000 }], ip: '10.42.1.52' },
  { namespace: 'payments', name: 'payments-api', kind: 'Deployment', ports: [{ name: 'http', containerPort: 8080 }], ip: '10.42.2.37' },
  { namespace: 'payments', name: 'payments-db', kind: 'StatefulSet', ports: [{ name: 'postgresql', containerPort: 5432 }], ip: '10.42.3.50' },
  { namespace: 'monitoring', name: 'prometheus', kind: 'StatefulSet', ports: [{ name: 'web', containerPort: 9090 }], ip: '10.42.1.56' },
  {
    namespace: 'kube-system',
    name: 'coredns',
    kind: 'Deployment',
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }, { name: 'metrics', containerPort: 9153 }],
    ip: '10.42.0.37',
    labelKey: 'k8s-app',
  },
];

function labelsOf(spec: WorkloadSpec): Record<string, string> {
  return {
    [spec.labelKey ?? 'app']: spec.labelKey ? 'kube-dns' : spec.name,
    'app.kubernetes.io/name': spec.name,
    'app.kubernetes.io/part-of': 'genai-platform',
  };
}

function workloadObjects(spec: WorkloadSpec): Json[] {
  const labels = labelsOf(spec);
  const template = {
    metadata: { labels },
    spec: { containers: [{ name: spec.name, image: `example/${spec.name}:1`, ports: spec.ports.map((port) => ({ protocol: 'TCP', ...port })) }] },
  };
  const owner = { apiVersion: 'apps/v1', kind: spec.kind === 'Deployment' ? 'ReplicaSet' : 'StatefulSet', name: spec.kind === 'Deployment' ? `${spec.name}-7d9f8c6b5` : spec.name, controller: true };
  const podLabels = spec.kind === 'Deployment' ? { ...labels, 'pod-template-hash': '7d9f8c6b5' } : { ...labels, 'statefulset.kubernetes.io/pod-name': `${spec.name}-0` };
  const objects: Json[] = [
    { apiVersion: 'apps/v1', kind: spec.kind, metadata: { name: spec.name, namespace: spec.namespace, labels }, spec: { selector: { matchLabels: { [spec.labelKey ?? 'app']: labels[spec.labelKey ?? 'app'] } }, template } },
  ];
  if (spec.kind === 'Deployment') {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: owner.name, namespace: spec.namespace, labels: podLabels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name, controller: true }] },
      spec: { template: { ...template, metadata: { labels: podLabels } } },
    });
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: spec.kind === 'Deployment' ? `${owner.name}-abcde` : `${spec.name}-0`, namespace: spec.namespace, labels: podLabels, ownerReferences: [owner] },
    spec: template.spec,
    status: { podIP: spec.ip, podIPs: [{ ip: spec.ip }] },
  });
  return objects;
}

function networkPolicy(namespace: string, name: string, spec: Json): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

const peer = (namespace: string | undefined, app: string, key = 'app'): Json => ({
  ...(namespace !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } : {}),
  podSelector: { matchLabels: { [key]: app } },
});
const tcp = (port: number): Json => ({ protocol: 'TCP', port });
const dnsEgress = { to: [peer('kube-system', 'kube-dns', 'k8s-app')], ports: [{ protocol: 'UDP', port: 53 }, tcp(53)] };

/** Raw objects, as `kubectl get … -o json` items would give them. */
export function makeDemoLikeObjects(): Json[] {
  const namespaces = ['ingress-nginx', 'chat', 'llm', 'vectordb', 'data', 'payments', 'monitoring', 'kube-system'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  }));
  const defaultDeny = (namespace: string): Json => networkPolicy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const policies = [
    defaultDeny('data'),
    networkPolicy('data', 'allow-rag-api', { podSelector: { matchLabels: { app: 'postgres' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer('chat', 'rag-api')], ports: [tcp(5432)] }] }),
    networkPolicy('data', 'allow-rag-api-minio', { podSelector: { matchLabels: { app: 'minio' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer('chat', 'rag-api')], ports: [tcp(9000)] }] }),
    networkPolicy('data', 'allow-dns-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress] }),
    networkPolicy('data', 'allow-prometheus-scrape', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [peer('monitoring', 'prometheus')], ports: [tcp(9187), tcp(9000)] }] }),
    defaultDeny('payments'),
    networkPolicy('payments', 'allow-payments-api', { podSelector: { matchLabels: { app: 'payments-db' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer(undefined, 'payments-api')], ports: [tcp(5432)] }] }),
    networkPolicy('payments', 'allow-ingress-nginx', { podSelector: { matchLabels: { app: 'payments-api' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer('ingress-nginx', 'ingress-nginx-controller')], ports: [tcp(8080)] }] }),
    networkPolicy('payments', 'allow-payments-api-egress', { podSelector: { matchLabels: { app: 'payments-api' } }, policyTypes: ['Egress'], egress: [{ to: [peer(undefined, 'payments-db')], ports: [tcp(5432)] }] }),
    networkPolicy('payments', 'allow-dns-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress] }),
    networkPolicy('chat', 'allow-ingress-nginx', { podSelector: { matchLabels: { app: 'chat-ui' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer('ingress-nginx', 'ingress-nginx-controller')], ports: [tcp(8080)] }] }),
    networkPolicy('chat', 'allow-chat-ui', { podSelector: { matchLabels: { app: 'rag-api' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer(undefined, 'chat-ui')], ports: [tcp(8000)] }] }),
    networkPolicy('chat', 'allow-prometheus-scrape', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [peer('monitoring', 'prometheus')], ports: [tcp(8080), tcp(8000)] }] }),
    networkPolicy('vectordb', 'allow-rag-api', { podSelector: { matchLabels: { app: 'qdrant' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer('chat', 'rag-api')], ports: [tcp(6333), tcp(6334)] }, { from: [peer('monitoring', 'prometheus')], ports: [tcp(6333)] }] }),
    networkPolicy('ingress-nginx', 'allow-public-ingress', { podSelector: { matchLabels: { app: 'ingress-nginx-controller' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(80), tcp(443)] }, { from: [peer('monitoring', 'prometheus')], ports: [tcp(10254)] }] }),
  ];
  return [...namespaces, ...WORKLOADS.flatMap(workloadObjects), ...policies];
}

/** An observed end for a workload of the demo-like cluster (`namespace/name`) or an external IP. */
export function demoEndpoint(node: string, ip?: string): ObservedEndpoint {
  const spec = WORKLOADS.find((workload) => `${workload.namespace}/${workload.name}` === node);
  if (!spec) return { node: ip ?? node, ip: ip ?? node, external: true, detail: ip ?? node };
  return { node, namespace: spec.namespace, workload: spec.name, workloadKind: spec.kind, labels: labelsOf(spec), ip: spec.ip, external: false, detail: spec.ip };
}

const HOUR_MS = 3_600_000;
const T0_MS = Date.UTC(2026, 0, 1);

/** The demo's traffic over a day: allowed service calls, scrapes, DNS, egress to the internet and the compromised chat-ui's denied probes. */
export function makeDemoLikeEdges(): ObservedEdge[] {
  const edge = (source: string, destination: string, port: number | null, protocol: string, verdict: 'allowed' | 'denied', flows: number, sourceIp?: string, destinationIp?: string): ObservedEdge => ({
    source: demoEndpoint(source, sourceIp),
    destination: demoEndpoint(destination, destinationIp),
    port,
    protocol,
    verdict,
    flows,
    lastSeenMs: T0_MS + (flows % 24) * HOUR_MS,
  });
  return [
    edge('198.51.100.7', 'ingress-nginx/ingress-nginx-controller', 443, 'TCP', 'allowed', 1242),
    edge('ingress-nginx/ingress-nginx-controller', 'chat/chat-ui', 8080, 'TCP', 'allowed', 903),
    edge('ingress-nginx/ingress-nginx-controller', 'payments/payments-api', 8080, 'TCP', 'allowed', 207),
    edge('chat/chat-ui', 'chat/rag-api', 8000, 'TCP', 'allowed', 867),
    edge('chat/chat-ui', 'data/postgres', 5432, 'TCP', 'denied', 532),
    edge('chat/chat-ui', 'payments/payments-db', 5432, 'TCP', 'denied', 535),
    edge('chat/chat-ui', 'kube-system/coredns', 53, 'UDP', 'allowed', 50),
    edge('chat/chat-ui', '203.0.113.66', 443, 'TCP', 'allowed', 233),
    edge('chat/rag-api', 'data/minio', 9000, 'TCP', 'allowed', 134),
    edge('chat/rag-api', 'data/postgres', 5432, 'TCP', 'allowed', 227),
    edge('chat/rag-api', 'kube-system/coredns', 53, 'UDP', 'allowed', 346),
    edge('chat/rag-api', 'llm/tei-embed', 80, 'TCP', 'allowed', 712),
    edge('chat/rag-api', 'llm/tei-rerank', 80, 'TCP', 'allowed', 531),
    edge('chat/rag-api', 'llm/vllm', 8000, 'TCP', 'allowed', 416),
    edge('chat/rag-api', 'vectordb/qdrant', 6333, 'TCP', 'allowed', 510),
    edge('chat/rag-api', 'vectordb/qdrant', 6334, 'TCP', 'allowed', 218),
    edge('chat/rag-api', '162.159.140.245', 443, 'TCP', 'allowed', 114),
    edge('chat/rag-api', 'llm/vllm', null, 'ICMP', 'allowed', 3),
    edge('llm/vllm', 'kube-system/coredns', 53, 'UDP', 'allowed', 58),
    edge('llm/vllm', '18.239.50.80', 443, 'TCP', 'allowed', 26),
    edge('monitoring/prometheus', 'chat/chat-ui', 8080, 'TCP', 'allowed', 63),
    edge('monitoring/prometheus', 'chat/rag-api', 8000, 'TCP', 'allowed', 61),
    edge('monitoring/prometheus', 'data/minio', 9000, 'TCP', 'allowed', 26),
    edge('monitoring/prometheus', 'data/postgres', 9187, 'TCP', 'allowed', 22),
    edge('monitoring/prometheus', 'ingress-nginx/ingress-nginx-controller', 10254, 'TCP', 'allowed', 50),
    edge('monitoring/prometheus', 'kube-system/coredns', 9153, 'TCP', 'allowed', 36),
    edge('monitoring/prometheus', 'llm/tei-embed', 80, 'TCP', 'allowed', 19),
    edge('monitoring/prometheus', 'llm/tei-rerank', 80, 'TCP', 'allowed', 25),
    edge('monitoring/prometheus', 'llm/vllm', 8000, 'TCP', 'allowed', 43),
    edge('monitoring/prometheus', 'vectordb/qdrant', 6333, 'TCP', 'allowed', 59),
    edge('payments/payments-api', 'kube-system/coredns', 53, 'UDP', 'allowed', 38),
    edge('payments/payments-api', 'payments/payments-db', 5432, 'TCP', 'allowed', 194),
  ];
}
