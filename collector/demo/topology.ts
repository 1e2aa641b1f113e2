/**
 * The simulated GenAI platform: workloads, pods, services, external peers and the Kubernetes
 * NetworkPolicies that decide each connection's verdict. Both clusters run the same platform; names,
 * hashes, IPs and nodes differ per cluster and per seed. Pure: no I/O, no clock.
 */
import { createPrng, type Prng } from './prng';

export type DemoClusterName = 'prod-east' | 'prod-west';
export const DEMO_CLUSTERS: readonly DemoClusterName[] = ['prod-east', 'prod-west'];
export type DemoFlowFormat = 'calico' | 'hubble';
export const CLUSTER_FLOW_FORMAT: Record<DemoClusterName, DemoFlowFormat> = { 'prod-east': 'calico', 'prod-west': 'hubble' };

export type TransportProtocol = 'TCP' | 'UDP';

export interface ContainerPortSpec {
  name: string;
  containerPort: number;
  protocol: TransportProtocol;
}

export interface ServicePortSpec {
  name: string;
  port: number;
  targetPort: number;
  protocol: TransportProtocol;
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  replicas: number;
  /** `app.kubernetes.io/part-of` / `component` labels. */
  partOf: string;
  component: string;
  image: string;
  args: string[];
  containerPorts: ContainerPortSpec[];
  /** Port prometheus scrapes (an exporter sidecar's for the databases). */
  metricsPort: number;
  /** Extra labels on the workload and its pods (e.g. `data-classification`). */
  extraLabels: Record<string, string>;
  /** Environment variable names only: values would be secrets in a real dump. */
  envNames: string[];
  gpu: boolean;
  /** Extra containers (exporter sidecars), for realistic pod specs. */
  sidecars: { name: string; image: string; port: ContainerPortSpec }[];
  service: { name: string; type: 'ClusterIP' | 'LoadBalancer'; ports: ServicePortSpec[] };
  /** `k8s-app` style selector label used instead of `app` (CoreDNS). */
  selectorLabel?: { key: string; value: string };
}

export interface PodInfo {
  namespace: string;
  name: string;
  workload: WorkloadSpec;
  /** ReplicaSet name for Deployments (`<deployment>-<pod-template-hash>`). */
  replicaSetName?: string;
  podTemplateHash?: string;
  ordinal: number;
  ip: string;
  nodeName: string;
  labels: Record<string, string>;
  uid: string;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'LoadBalancer';
  clusterIp: string;
  loadBalancerIp?: string;
  ports: ServicePortSpec[];
  workload: WorkloadSpec;
  uid: string;
}

export interface ExternalPeer {
  ip: string;
  domain?: string;
  /** Calico GlobalNetworkSet name when the platform team has one for this peer. */
  networkSet?: string;
}

/** Who a policy rule lets in or out. `namespace` undefined = the policy's own namespace. */
export interface PolicyPeer {
  namespace?: string;
  /** Pod label selector on `app` (or the workload's selector label); undefined = all pods. */
  app?: string;
  /** `ipBlock` (egress/ingress to anything outside the cluster). */
  cidr?: string;
  /** Any namespace (namespaceSelector: {}). */
  anyNamespace?: boolean;
}

export interface PolicyRule {
  peers: PolicyPeer[];
  ports: { port: number; protocol: TransportProtocol }[];
}

export interface PolicySpec {
  namespace: string;
  name: string;
  /** Pod `app` label the policy selects; undefined = every pod in the namespace. */
  podApp?: string;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
  uid: string;
}

export interface Topology {
  cluster: DemoClusterName;
  seed: string;
  nodes: { name: string; gpu: boolean; internalIp: string }[];
  namespaces: string[];
  workloads: WorkloadSpec[];
  pods: PodInfo[];
  podsByWorkload: Map<string, PodInfo[]>;
  services: ServiceInfo[];
  servicesByWorkload: Map<string, ServiceInfo>;
  policies: PolicySpec[];
  /** The chat-ui replica that probes the databases and leaks data. */
  compromisedPod: PodInfo;
  internetClients: string[];
  openAi: ExternalPeer[];
  huggingFace: ExternalPeer[];
  exfiltrationPeer: ExternalPeer;
}

export const NAMESPACES = ['ingress-nginx', 'chat', 'llm', 'vectordb', 'data', 'payments', 'monitoring', 'kube-system'] as const;

export const OPENAI_DOMAIN = 'api.openai.com';
export const HUGGINGFACE_DOMAIN = 'huggingface.co';
export const EXFILTRATION_IP = '203.0.113.66';
/** Published A records of api.openai.com (Cloudflare) and huggingface.co (CloudFront). */
const OPENAI_IPS = ['162.159.140.245', '172.66.0.243'];
const HUGGINGFACE_IPS = ['18.239.50.16', '18.239.50.49', '18.239.50.80'];

const tcp = (name: string, containerPort: number): ContainerPortSpec => ({ name, containerPort, protocol: 'TCP' });
const svcPort = (name: string, port: number, targetPort = port, protocol: TransportProtocol = 'TCP'): ServicePortSpec => ({ name, port, targetPort, protocol });

function baseWorkload(partial: Partial<WorkloadSpec> & Pick<WorkloadSpec, 'namespace' | 'name' | 'kind' | 'image' | 'containerPorts' | 'metricsPort' | 'service'>): WorkloadSpec {
  return {
    replicas: 1,
    partOf: 'genai-platform',
    component: partial.name,
    args: [],
    extraLabels: {},
    envNames: [],
    gpu: false,
    sidecars: [],
    ...partial,
  };
}

/** Replica counts vary a little by seed and cluster, within 1–3 as a real platform would run. */
function platformWorkloads(prng: Prng): WorkloadSpec[] {
  const replicas = (min: number, max: number): number => prng.int(min, max);
  const postgresExporter = { name: 'postgres-exporter', image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0', port: tcp('metrics', 9187) };
  return [
    baseWorkload({
      namespace: 'ingress-nginx', name: 'ingress-nginx-controller', kind: 'Deployment', replicas: 2,
      partOf: 'ingress-nginx', component: 'controller',
      image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
      args: ['/nginx-ingress-controller', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx'],
      containerPorts: [tcp('http', 80), tcp('https', 443), tcp('metrics', 10254)], metricsPort: 10254,
      service: { name: 'ingress-nginx-controller', type: 'LoadBalancer', ports: [svcPort('http', 80), svcPort('https', 443)] },
      extraLabels: { 'app.kubernetes.io/instance': 'ingress-nginx' },
    }),
    baseWorkload({
      namespace: 'chat', name: 'chat-ui', kind: 'Deployment', replicas: 3, component: 'frontend',
      image: 'ghcr.io/acme-ai/chat-ui:2.4.1', containerPorts: [tcp('http', 8080)], metricsPort: 8080,
      envNames: ['RAG_API_URL', 'SESSION_SECRET'],
      service: { name: 'chat-ui', type: 'ClusterIP', ports: [svcPort('http', 80, 8080)] },
    }),
    baseWorkload({
      namespace: 'chat', name: 'rag-api', kind: 'Deployment', replicas: replicas(2, 3), component: 'rag-backend',
      image: 'ghcr.io/acme-ai/rag-api:1.9.0', containerPorts: [tcp('http', 8000)], metricsPort: 8000,
      envNames: ['OPENAI_API_KEY', 'QDRANT_URL', 'TEI_EMBEDDING_ENDPOINT', 'TEI_RERANKING_ENDPOINT', 'VLLM_ENDPOINT', 'DATABASE_URL', 'MINIO_ENDPOINT', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY'],
      service: { name: 'rag-api', type: 'ClusterIP', ports: [svcPort('http', 8000)] },
    }),
    baseWorkload({
      namespace: 'llm', name: 'vllm', kind: 'Deployment', replicas: replicas(1, 2), component: 'llm-inference',
      image: 'vllm/vllm-openai:v0.6.3',
      args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000', '--max-model-len', '8192', '--gpu-memory-utilization', '0.90'],
      containerPorts: [tcp('http', 8000)], metricsPort: 8000, gpu: true, envNames: ['HF_TOKEN', 'HF_HOME'],
      service: { name: 'vllm', type: 'ClusterIP', ports: [svcPort('http', 8000)] },
    }),
    baseWorkload({
      namespace: 'llm', name: 'tei-embed', kind: 'Deployment', replicas: replicas(1, 2), component: 'embedding',
      image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5', args: ['--model-id', 'BAAI/bge-base-en-v1.5', '--auto-truncate'],
      containerPorts: [tcp('http', 80)], metricsPort: 80, envNames: ['HF_TOKEN'],
      service: { name: 'tei-embed', type: 'ClusterIP', ports: [svcPort('http', 80)] },
    }),
    baseWorkload({
      namespace: 'llm', name: 'tei-rerank', kind: 'Deployment', replicas: 1, component: 'reranking',
      image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5', args: ['--model-id', 'BAAI/bge-reranker-base', '--auto-truncate'],
      containerPorts: [tcp('http', 80)], metricsPort: 80, envNames: ['HF_TOKEN'],
      service: { name: 'tei-rerank', type: 'ClusterIP', ports: [svcPort('http', 80)] },
    }),
    baseWorkload({
      namespace: 'vectordb', name: 'qdrant', kind: 'StatefulSet', replicas: replicas(1, 3), component: 'vector-db',
      image: 'qdrant/qdrant:v1.12.1', containerPorts: [tcp('http', 6333), tcp('grpc', 6334)], metricsPort: 6333,
      service: { name: 'qdrant', type: 'ClusterIP', ports: [svcPort('http', 6333), svcPort('grpc', 6334)] },
    }),
    baseWorkload({
      namespace: 'data', name: 'postgres', kind: 'StatefulSet', replicas: 1, component: 'database',
      image: 'postgres:16', containerPorts: [tcp('postgresql', 5432)], metricsPort: 9187,
      envNames: ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'PGDATA'], sidecars: [postgresExporter],
      extraLabels: { 'data-classification': 'pii' },
      service: { name: 'postgres', type: 'ClusterIP', ports: [svcPort('postgresql', 5432)] },
    }),
    baseWorkload({
      namespace: 'data', name: 'minio', kind: 'StatefulSet', replicas: replicas(1, 2), component: 'document-store',
      image: 'minio/minio:RELEASE.2024-10-13T13-34-11Z', args: ['server', '/data', '--console-address', ':9001'],
      containerPorts: [tcp('api', 9000), tcp('console', 9001)], metricsPort: 9000,
      envNames: ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD', 'MINIO_PROMETHEUS_AUTH_TYPE'],
      extraLabels: { 'data-classification': 'confidential' },
      service: { name: 'minio', type: 'ClusterIP', ports: [svcPort('api', 9000), svcPort('console', 9001)] },
    }),
    baseWorkload({
      namespace: 'payments', name: 'payments-api', kind: 'Deployment', replicas: replicas(2, 3), partOf: 'payments', component: 'api',
      image: 'ghcr.io/acme-ai/payments-api:3.2.0', containerPorts: [tcp('http', 8080), tcp('metrics', 9102)], metricsPort: 9102,
      envNames: ['DATABASE_URL', 'STRIPE_API_KEY'],
      service: { name: 'payments-api', type: 'ClusterIP', ports: [svcPort('http', 80, 8080)] },
    }),
    baseWorkload({
      namespace: 'payments', name: 'payments-db', kind: 'StatefulSet', replicas: 1, partOf: 'payments', component: 'database',
      image: 'postgres:16', containerPorts: [tcp('postgresql', 5432)], metricsPort: 9187,
      envNames: ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD'], sidecars: [postgresExporter],
      extraLabels: { 'data-classification': 'pci' },
      service: { name: 'payments-db', type: 'ClusterIP', ports: [svcPort('postgresql', 5432)] },
    }),
    baseWorkload({
      namespace: 'monitoring', name: 'prometheus', kind: 'StatefulSet', replicas: 1, partOf: 'monitoring', component: 'server',
      image: 'quay.io/prometheus/prometheus:v2.54.1', args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.retention.time=15d'],
      containerPorts: [tcp('web', 9090)], metricsPort: 9090,
      service: { name: 'prometheus', type: 'ClusterIP', ports: [svcPort('web', 9090)] },
    }),
    baseWorkload({
      namespace: 'kube-system', name: 'coredns', kind: 'Deployment', replicas: 2, partOf: 'kube-system', component: 'dns',
      image: 'registry.k8s.io/coredns/coredns:v1.11.3', args: ['-conf', '/etc/coredns/Corefile'],
      containerPorts: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, tcp('dns-tcp', 53), tcp('metrics', 9153)], metricsPort: 9153,
      selectorLabel: { key: 'k8s-app', value: 'kube-dns' },
      service: { name: 'kube-dns', type: 'ClusterIP', ports: [svcPort('dns', 53, 53, 'UDP'), svcPort('dns-tcp', 53), svcPort('metrics', 9153)] },
    }),
  ];
}

/** Kubernetes' pod-name suffix alphabet (no vowels, no 0/1/3), as `rand.SafeEncodeString` uses. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function safeString(prng: Prng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += SAFE_ALPHABET[prng.int(0, SAFE_ALPHABET.length - 1)];
  return text;
}

/** A pod-template hash: 9–10 safe characters with at least one digit, like `7d9f8c6b5`. */
function podTemplateHash(prng: Prng): string {
  for (;;) {
    const hash = safeString(prng, prng.int(9, 10));
    if (/\d/.test(hash)) return hash;
  }
}

function uid(prng: Prng): string {
  const hex = (n: number): string => {
    let text = '';
    for (let i = 0; i < n; i++) text += '0123456789abcdef'[prng.int(0, 15)];
    return text;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[prng.int(0, 3)]}${hex(3)}-${hex(12)}`;
}

/** First octets of large public allocations, so generated client IPs look like real ISPs and clouds. */
const PUBLIC_FIRST_OCTETS = [24, 31, 37, 45, 51, 62, 73, 81, 86, 92, 98, 104, 109, 128, 141, 151, 176, 185, 188, 193, 195, 212, 213, 217];
export const INTERNET_CLIENT_POOL_SIZE = 4096;

/** Selector labels of a workload's pods. */
export function selectorLabels(workload: WorkloadSpec): Record<string, string> {
  if (workload.selectorLabel) return { [workload.selectorLabel.key]: workload.selectorLabel.value };
  return { app: workload.name };
}

export function workloadKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Builds one cluster's topology; the same seed and cluster always give the same names and addresses. */
export function buildTopology(seed: string, cluster: DemoClusterName): Topology {
  const prng = createPrng(seed, cluster, 'topology');
  const east = cluster === 'prod-east';
  const podPrefix = east ? '10.42' : '10.52';
  const servicePrefix = east ? '10.43' : '10.53';
  const nodeCount = 4;
  const nodes = Array.from({ length: nodeCount + 1 }, (_, index) => {
    const gpu = index === nodeCount;
    const internalIp = east ? `10.0.${16 + index * 8}.${prng.int(10, 250)}` : `10.1.0.${4 + index}`;
    const name = east
      ? `ip-${internalIp.replace(/\./g, '-')}.us-east-2.compute.internal`
      : `aks-${gpu ? 'gpupool' : 'nodepool1'}-${String(prng.int(10_000_000, 99_999_999))}-vmss${String(gpu ? 0 : index).padStart(6, '0')}`;
    return { name, gpu, internalIp };
  });
  const workloads = platformWorkloads(prng);
  const pods: PodInfo[] = [];
  const podsByWorkload = new Map<string, PodInfo[]>();
  const hostCounters = new Map<number, number>();
  for (const workload of workloads) {
    const hash = workload.kind === 'Deployment' ? podTemplateHash(prng) : undefined;
    const list: PodInfo[] = [];
    for (let ordinal = 0; ordinal < workload.replicas; ordinal++) {
      const nodeIndex = workload.gpu ? nodeCount : prng.int(0, nodeCount - 1);
      const host = (hostCounters.get(nodeIndex) ?? prng.int(2, 40)) + prng.int(1, 6);
      hostCounters.set(nodeIndex, host);
      const name = hash ? `${workload.name}-${hash}-${safeString(prng, 5)}` : `${workload.name}-${ordinal}`;
      const labels: Record<string, string> = {
        ...selectorLabels(workload),
        'app.kubernetes.io/name': workload.name,
        'app.kubernetes.io/part-of': workload.partOf,
        'app.kubernetes.io/component': workload.component,
        ...workload.extraLabels,
      };
      if (hash) labels['pod-template-hash'] = hash;
      else {
        labels['apps.kubernetes.io/pod-index'] = String(ordinal);
        labels['statefulset.kubernetes.io/pod-name'] = name;
      }
      const pod: PodInfo = {
        namespace: workload.namespace,
        name,
        workload,
        ordinal,
        ip: `${podPrefix}.${nodeIndex}.${host}`,
        nodeName: nodes[nodeIndex]?.name ?? 'unknown-node',
        labels,
        uid: uid(prng),
      };
      if (hash) {
        pod.podTemplateHash = hash;
        pod.replicaSetName = `${workload.name}-${hash}`;
      }
      list.push(pod);
      pods.push(pod);
    }
    podsByWorkload.set(workloadKey(workload.namespace, workload.name), list);
  }
  const services: ServiceInfo[] = [];
  const servicesByWorkload = new Map<string, ServiceInfo>();
  workloads.forEach((workload, index) => {
    const service: ServiceInfo = {
      namespace: workload.namespace,
      name: workload.service.name,
      type: workload.service.type,
      // kube-dns conventionally holds the tenth address of the service range.
      clusterIp: workload.name === 'coredns' ? `${servicePrefix}.0.10` : `${servicePrefix}.${prng.int(1, 250)}.${10 + index}`,
      ports: workload.service.ports,
      workload,
      uid: uid(prng),
    };
    if (workload.service.type === 'LoadBalancer') service.loadBalancerIp = east ? '3.19.84.122' : '20.84.197.31';
    services.push(service);
    servicesByWorkload.set(workloadKey(workload.namespace, workload.name), service);
  });
  const chatUi = podsByWorkload.get('chat/chat-ui') ?? [];
  const compromisedPod = chatUi[prng.int(0, chatUi.length - 1)];
  if (!compromisedPod) throw new Error('chat-ui has no pods');
  const clientPrng = createPrng(seed, 'internet-clients');
  const internetClients = Array.from({ length: INTERNET_CLIENT_POOL_SIZE }, () =>
    `${clientPrng.pick(PUBLIC_FIRST_OCTETS)}.${clientPrng.int(0, 255)}.${clientPrng.int(0, 255)}.${clientPrng.int(1, 254)}`,
  );
  return {
    cluster,
    seed,
    nodes,
    namespaces: [...NAMESPACES],
    workloads,
    pods,
    podsByWorkload,
    services,
    servicesByWorkload,
    policies: platformPolicies(prng),
    compromisedPod,
    internetClients,
    openAi: OPENAI_IPS.map((ip) => ({ ip, domain: OPENAI_DOMAIN })),
    huggingFace: HUGGINGFACE_IPS.map((ip) => ({ ip, domain: HUGGINGFACE_DOMAIN, networkSet: 'model-hubs' })),
    exfiltrationPeer: { ip: EXFILTRATION_IP },
  };
}

const dnsEgress: PolicyRule = {
  peers: [{ namespace: 'kube-system', app: 'kube-dns' }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

function prometheusScrape(namespace: string, ports: number[], prng: Prng): PolicySpec {
  return {
    namespace, name: 'allow-prometheus-scrape', policyTypes: ['Ingress'],
    ingress: [{ peers: [{ namespace: 'monitoring', app: 'prometheus' }], ports: ports.map((port) => ({ port, protocol: 'TCP' })) }],
    egress: [], uid: uid(prng),
  };
}

/**
 * `data` and `payments` are locked down (default deny both ways, explicit allows); `chat`, `vectordb`,
 * `ingress-nginx` and `monitoring` restrict ingress only; `llm` and `kube-system` have no policy at all,
 * which is the unprotected-GenAI finding the demo should surface.
 */
function platformPolicies(prng: Prng): PolicySpec[] {
  const policy = (spec: Omit<PolicySpec, 'uid'>): PolicySpec => ({ ...spec, uid: uid(prng) });
  const defaultDeny = (namespace: string): PolicySpec =>
    policy({ namespace, name: 'default-deny', policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  return [
    defaultDeny('data'),
    policy({
      namespace: 'data', name: 'allow-rag-api', podApp: 'postgres', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ namespace: 'chat', app: 'rag-api' }], ports: [{ port: 5432, protocol: 'TCP' }] }], egress: [],
    }),
    policy({
      namespace: 'data', name: 'allow-rag-api-minio', podApp: 'minio', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ namespace: 'chat', app: 'rag-api' }], ports: [{ port: 9000, protocol: 'TCP' }] }], egress: [],
    }),
    policy({ namespace: 'data', name: 'allow-dns-egress', policyTypes: ['Egress'], ingress: [], egress: [dnsEgress] }),
    prometheusScrape('data', [9187, 9000], prng),
    defaultDeny('payments'),
    policy({
      namespace: 'payments', name: 'allow-payments-api', podApp: 'payments-db', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ app: 'payments-api' }], ports: [{ port: 5432, protocol: 'TCP' }] }], egress: [],
    }),
    policy({
      namespace: 'payments', name: 'allow-ingress-nginx', podApp: 'payments-api', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ namespace: 'ingress-nginx', app: 'ingress-nginx-controller' }], ports: [{ port: 8080, protocol: 'TCP' }] }], egress: [],
    }),
    policy({
      namespace: 'payments', name: 'allow-payments-api-egress', podApp: 'payments-api', policyTypes: ['Egress'], ingress: [],
      egress: [{ peers: [{ app: 'payments-db' }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    }),
    policy({ namespace: 'payments', name: 'allow-dns-egress', policyTypes: ['Egress'], ingress: [], egress: [dnsEgress] }),
    prometheusScrape('payments', [9102, 9187], prng),
    policy({
      namespace: 'chat', name: 'allow-ingress-nginx', podApp: 'chat-ui', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ namespace: 'ingress-nginx', app: 'ingress-nginx-controller' }], ports: [{ port: 8080, protocol: 'TCP' }] }], egress: [],
    }),
    policy({
      namespace: 'chat', name: 'allow-chat-ui', podApp: 'rag-api', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ app: 'chat-ui' }], ports: [{ port: 8000, protocol: 'TCP' }] }], egress: [],
    }),
    prometheusScrape('chat', [8080, 8000], prng),
    policy({
      namespace: 'vectordb', name: 'allow-rag-api', podApp: 'qdrant', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ namespace: 'chat', app: 'rag-api' }], ports: [{ port: 6333, protocol: 'TCP' }, { port: 6334, protocol: 'TCP' }] }], egress: [],
    }),
    prometheusScrape('vectordb', [6333], prng),
    policy({
      namespace: 'ingress-nginx', name: 'allow-public-ingress', podApp: 'ingress-nginx-controller', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }], egress: [],
    }),
    prometheusScrape('ingress-nginx', [10254], prng),
    policy({
      namespace: 'monitoring', name: 'allow-prometheus-ui', podApp: 'prometheus', policyTypes: ['Ingress'],
      ingress: [{ peers: [{ namespace: 'ingress-nginx', app: 'ingress-nginx-controller' }, { app: 'prometheus' }], ports: [{ port: 9090, protocol: 'TCP' }] }], egress: [],
    }),
  ];
}

/** A simulated endpoint: one of our pods, or an address outside the cluster. */
export type SimEndpoint = { kind: 'pod'; pod: PodInfo } | { kind: 'external'; peer: ExternalPeer };

export interface PolicyDecision {
  action: 'allow' | 'deny';
  /** Undefined when no policy selects the endpoint in this direction (Calico's namespace profile applies). */
  policy?: PolicySpec;
  /** Rule index within the policy's ingress/egress list; −1 for the end-of-tier default deny. */
  ruleIndex: number;
}

function podAppLabel(pod: PodInfo): string {
  return pod.labels.app ?? pod.labels['k8s-app'] ?? pod.workload.name;
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: SimEndpoint): boolean {
  if (other.kind === 'external') return peer.cidr !== undefined;
  if (peer.cidr !== undefined) return false;
  const namespaceOk = peer.anyNamespace === true || (peer.namespace ?? policyNamespace) === other.pod.namespace;
  return namespaceOk && (peer.app === undefined || peer.app === podAppLabel(other.pod));
}

/**
 * Kubernetes NetworkPolicy semantics for one direction of one connection: if no policy of that type
 * selects the pod, the traffic is allowed (no policy); otherwise the first policy (by name, as Calico
 * orders equal-order policies) with a matching rule allows it, and if none matches it is denied at the
 * end of the tier — attributed to the namespace's default-deny policy when there is one.
 */
export function decide(topology: Topology, pod: PodInfo, direction: 'Ingress' | 'Egress', other: SimEndpoint, port: number, protocol: TransportProtocol): PolicyDecision {
  const selecting = topology.policies
    .filter((p) => p.namespace === pod.namespace && p.policyTypes.includes(direction) && (p.podApp === undefined || p.podApp === podAppLabel(pod)))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (selecting.length === 0) return { action: 'allow', ruleIndex: 0 };
  for (const policy of selecting) {
    const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!rule) continue;
      const peerOk = rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(peer, policy.namespace, other));
      const portOk = rule.ports.length === 0 || rule.ports.some((p) => p.port === port && p.protocol === protocol);
      if (peerOk && portOk) return { action: 'allow', policy, ruleIndex: i };
    }
  }
  const blamed = selecting.find((p) => p.name === 'default-deny') ?? selecting[selecting.length - 1];
  return { action: 'deny', policy: blamed, ruleIndex: -1 };
}
