/**
 * The topology as `kubectl get namespaces,pods,services,deployments,statefulsets,daemonsets,replicasets,
 * networkpolicies -A -o json` would print it: a `v1 List` whose pods point at ReplicaSets/StatefulSets
 * through ownerReferences, so pod → ReplicaSet → Deployment resolves as in a live dump. Pure: the
 * snapshot time is an argument and every other value comes from the topology.
 */
import { createPrng, type Prng } from './prng';
import { DAY_MS } from './scenario';
import { selectorLabels, type PodInfo, type PolicyPeer, type PolicyRule, type PolicySpec, type ServiceInfo, type Topology, type WorkloadSpec } from './topology';

type Json = Record<string, unknown>;

export interface KubernetesList {
  apiVersion: 'v1';
  kind: 'List';
  items: Json[];
  metadata: { resourceVersion: string };
}

function iso(timeMs: number): string {
  return new Date(Math.floor(timeMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function uid(prng: Prng): string {
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[prng.int(0, 15)]).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[prng.int(0, 3)]}${hex(3)}-${hex(12)}`;
}

/** Values for the non-secret variables; credentials come from Secrets, as they should. */
function envVar(topology: Topology, name: string): Json {
  const plain: Record<string, string> = {
    QDRANT_URL: 'http://qdrant.vectordb.svc.cluster.local:6333',
    TEI_EMBEDDING_ENDPOINT: 'http://tei-embed.llm.svc.cluster.local:80',
    TEI_RERANKING_ENDPOINT: 'http://tei-rerank.llm.svc.cluster.local:80',
    VLLM_ENDPOINT: 'http://vllm.llm.svc.cluster.local:8000/v1',
    MINIO_ENDPOINT: 'minio.data.svc.cluster.local:9000',
    RAG_API_URL: 'http://rag-api.chat.svc.cluster.local:8000',
    HF_HOME: '/models/.cache',
    POSTGRES_DB: 'app',
    PGDATA: '/var/lib/postgresql/data/pgdata',
    MINIO_PROMETHEUS_AUTH_TYPE: 'public',
  };
  const value = plain[name];
  if (value !== undefined) return { name, value };
  return { name, valueFrom: { secretKeyRef: { name: `${topology.cluster}-${name.toLowerCase().replace(/_/g, '-')}`, key: 'value' } } };
}

function workloadLabels(workload: WorkloadSpec): Record<string, string> {
  return {
    ...selectorLabels(workload),
    'app.kubernetes.io/name': workload.name,
    'app.kubernetes.io/part-of': workload.partOf,
    'app.kubernetes.io/component': workload.component,
    ...workload.extraLabels,
  };
}

function podSpec(topology: Topology, workload: WorkloadSpec, nodeName?: string): Json {
  const container: Json = {
    name: workload.name,
    image: workload.image,
    ports: workload.containerPorts.map((port) => ({ name: port.name, containerPort: port.containerPort, protocol: port.protocol })),
    resources: workload.gpu
      ? { limits: { 'nvidia.com/gpu': '1', memory: '48Gi' }, requests: { 'nvidia.com/gpu': '1', cpu: '4', memory: '32Gi' } }
      : { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } },
  };
  if (workload.args.length > 0) container.args = workload.args;
  if (workload.envNames.length > 0) container.env = workload.envNames.map((name) => envVar(topology, name));
  const containers: Json[] = [container];
  for (const sidecar of workload.sidecars) {
    containers.push({ name: sidecar.name, image: sidecar.image, ports: [{ name: sidecar.port.name, containerPort: sidecar.port.containerPort, protocol: sidecar.port.protocol }] });
  }
  const spec: Json = { containers, serviceAccountName: workload.name, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' };
  if (workload.gpu) {
    spec.nodeSelector = { 'nvidia.com/gpu.present': 'true' };
    spec.tolerations = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
  }
  if (nodeName) spec.nodeName = nodeName;
  return spec;
}

function podItem(topology: Topology, pod: PodInfo, ownerUid: string, createdMs: number, hostIp: string): Json {
  const owner = pod.replicaSetName
    ? { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: pod.replicaSetName, uid: ownerUid, controller: true, blockOwnerDeletion: true }
    : { apiVersion: 'apps/v1', kind: 'StatefulSet', name: pod.workload.name, uid: ownerUid, controller: true, blockOwnerDeletion: true };
  const metadata: Json = {
    name: pod.name,
    namespace: pod.namespace,
    uid: pod.uid,
    labels: pod.labels,
    ownerReferences: [owner],
    creationTimestamp: iso(createdMs),
  };
  if (pod.replicaSetName === undefined) metadata.generateName = `${pod.workload.name}-`;
  else metadata.generateName = `${pod.replicaSetName}-`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: podSpec(topology, pod.workload, pod.nodeName),
    status: {
      phase: 'Running',
      hostIP: hostIp,
      podIP: pod.ip,
      podIPs: [{ ip: pod.ip }],
      startTime: iso(createdMs),
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(createdMs + 30_000) }],
    },
  };
}

function peerJson(peer: PolicyPeer): Json {
  if (peer.cidr !== undefined) return { ipBlock: { cidr: peer.cidr } };
  const entry: Json = {};
  if (peer.anyNamespace) entry.namespaceSelector = {};
  else if (peer.namespace !== undefined) entry.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } };
  if (peer.app !== undefined) entry.podSelector = { matchLabels: { [peer.app === 'kube-dns' ? 'k8s-app' : 'app']: peer.app } };
  return entry;
}

function ruleJson(rule: PolicyRule, peersKey: 'from' | 'to'): Json {
  const out: Json = {};
  if (rule.peers.length > 0) out[peersKey] = rule.peers.map(peerJson);
  if (rule.ports.length > 0) out.ports = rule.ports.map((port) => ({ protocol: port.protocol, port: port.port }));
  return out;
}

function networkPolicyItem(policy: PolicySpec, createdMs: number): Json {
  const spec: Json = {
    podSelector: policy.podApp === undefined ? {} : { matchLabels: { app: policy.podApp } },
    policyTypes: policy.policyTypes,
  };
  if (policy.ingress.length > 0) spec.ingress = policy.ingress.map((rule) => ruleJson(rule, 'from'));
  if (policy.egress.length > 0) spec.egress = policy.egress.map((rule) => ruleJson(rule, 'to'));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policy.name, namespace: policy.namespace, uid: policy.uid, creationTimestamp: iso(createdMs), generation: 1 },
    spec,
  };
}

function serviceItem(service: ServiceInfo, createdMs: number): Json {
  const spec: Json = {
    type: service.type,
    selector: selectorLabels(service.workload),
    clusterIP: service.clusterIp,
    clusterIPs: [service.clusterIp],
    ports: service.ports.map((port) => ({ name: port.name, port: port.port, targetPort: port.targetPort, protocol: port.protocol })),
  };
  if (service.type === 'LoadBalancer') spec.externalTrafficPolicy = 'Local';
  const item: Json = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, namespace: service.namespace, uid: service.uid, labels: workloadLabels(service.workload), creationTimestamp: iso(createdMs) },
    spec,
    status: service.loadBalancerIp ? { loadBalancer: { ingress: [{ ip: service.loadBalancerIp }] } } : { loadBalancer: {} },
  };
  return item;
}

/**
 * The cluster's inventory at `takenAtMs`. Objects were created between 30 and 90 days earlier, pods a
 * few days earlier (the last rollout), so creation times never postdate the snapshot.
 */
export function buildInventory(topology: Topology, takenAtMs: number): KubernetesList {
  const prng = createPrng(topology.seed, topology.cluster, 'inventory');
  const platformCreatedMs = takenAtMs - prng.int(30, 90) * DAY_MS;
  const items: Json[] = [];
  for (const namespace of topology.namespaces) {
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': namespace };
    if (namespace === 'data' || namespace === 'payments') labels['data-classification'] = namespace === 'data' ? 'pii' : 'pci';
    items.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, uid: uid(prng), labels, creationTimestamp: iso(platformCreatedMs) },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  const hostIpByNode = new Map(topology.nodes.map((node) => [node.name, node.internalIp]));
  for (const workload of topology.workloads) {
    const pods = topology.podsByWorkload.get(`${workload.namespace}/${workload.name}`) ?? [];
    const workloadUid = uid(prng);
    const labels = workloadLabels(workload);
    const rolloutMs = takenAtMs - prng.int(2 * 3600_000, 6 * DAY_MS);
    const template = { metadata: { labels: { ...labels } }, spec: podSpec(topology, workload) };
    const status = { replicas: workload.replicas, readyReplicas: workload.replicas, availableReplicas: workload.replicas };
    let ownerUid = workloadUid;
    if (workload.kind === 'Deployment') {
      items.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: workload.name, namespace: workload.namespace, uid: workloadUid, labels, generation: 3, creationTimestamp: iso(platformCreatedMs) },
        spec: { replicas: workload.replicas, selector: { matchLabels: selectorLabels(workload) }, template },
        status: { ...status, updatedReplicas: workload.replicas },
      });
      const first = pods[0];
      if (first?.replicaSetName && first.podTemplateHash) {
        ownerUid = uid(prng);
        items.push({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: first.replicaSetName,
            namespace: workload.namespace,
            uid: ownerUid,
            labels: { ...labels, 'pod-template-hash': first.podTemplateHash },
            annotations: { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/desired-replicas': String(workload.replicas) },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name, uid: workloadUid, controller: true, blockOwnerDeletion: true }],
            creationTimestamp: iso(rolloutMs),
          },
          spec: {
            replicas: workload.replicas,
            selector: { matchLabels: { ...selectorLabels(workload), 'pod-template-hash': first.podTemplateHash } },
            template: { metadata: { labels: { ...labels, 'pod-template-hash': first.podTemplateHash } }, spec: podSpec(topology, workload) },
          },
          status: { ...status, fullyLabeledReplicas: workload.replicas },
        });
      }
    } else {
      items.push({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: workload.name, namespace: workload.namespace, uid: workloadUid, labels, generation: 2, creationTimestamp: iso(platformCreatedMs) },
        spec: { replicas: workload.replicas, serviceName: workload.service.name, selector: { matchLabels: selectorLabels(workload) }, template },
        status: { ...status, currentReplicas: workload.replicas },
      });
    }
    for (const pod of pods) items.push(podItem(topology, pod, ownerUid, rolloutMs + pod.ordinal * 40_000, hostIpByNode.get(pod.nodeName) ?? '10.0.0.1'));
  }
  for (const service of topology.services) items.push(serviceItem(service, platformCreatedMs));
  for (const policy of topology.policies) items.push(networkPolicyItem(policy, platformCreatedMs + DAY_MS));
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}
