import { parseAdminNetworkPolicy, parseBaselineAdminNetworkPolicy } from './parse-admin-network-policy';
import { parseNetworkPolicy } from './parse-network-policy';
import { parsePodTemplate } from './parse-pod-template';
import { FieldProblem, isRecord, readStringMapLenient, type UnknownRecord } from './read-fields';
import {
  workloadId,
  type AdminNetworkPolicy,
  type BaselineAdminNetworkPolicy,
  type ExposureBackend,
  type Inventory,
  type InventoryError,
  type InventoryExposure,
  type InventoryNamespace,
  type InventoryPod,
  type InventoryService,
  type InventoryWorkload,
  type NetworkPolicy,
  type PodTemplate,
  type Protocol,
  type ServicePort,
  type WorkloadKind,
  type WorkloadRef,
} from './types';

export const DEFAULT_NAMESPACE = 'default';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** API versions flowlens understands for each policy kind; any other is reported, not guessed at. */
const POLICY_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  NetworkPolicy: ['networking.k8s.io/v1', 'extensions/v1beta1'],
  AdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
  BaselineAdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
};

const CONTROLLER_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

export interface BuildInventoryResult {
  readonly inventory: Inventory;
  /** One entry per object (or list item) that was skipped; everything else is loaded. */
  readonly errors: readonly InventoryError[];
}

interface RawObject {
  readonly object: UnknownRecord;
  readonly objectIndex: number;
  /** Path of the object inside its document, e.g. `items[3]`, prefixed onto error fields. */
  readonly path: string;
}

interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

interface ControllerObject {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly template: PodTemplate;
  readonly replicas?: number;
  readonly owner?: OwnerRef;
}

function metadataOf(object: UnknownRecord): UnknownRecord {
  return isRecord(object['metadata']) ? object['metadata'] : {};
}

function describe(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/** The controlling owner: the reference with `controller: true`, else the first one. */
function controllerOwner(metadata: UnknownRecord): OwnerRef | undefined {
  const refs = Array.isArray(metadata['ownerReferences']) ? metadata['ownerReferences'].filter(isRecord) : [];
  const chosen = refs.find((ref) => ref['controller'] === true) ?? refs[0];
  if (!chosen || typeof chosen['kind'] !== 'string' || typeof chosen['name'] !== 'string') return undefined;
  return { kind: chosen['kind'], name: chosen['name'] };
}

function templateOf(kind: WorkloadKind, spec: UnknownRecord): unknown {
  if (kind === 'CronJob') {
    const jobTemplate = isRecord(spec['jobTemplate']) ? spec['jobTemplate'] : {};
    const jobSpec = isRecord(jobTemplate['spec']) ? jobTemplate['spec'] : {};
    return jobSpec['template'];
  }
  return spec['template'];
}

function parseServicePorts(value: unknown): ServicePort[] {
  if (!Array.isArray(value)) return [];
  const ports: ServicePort[] = [];
  for (const raw of value) {
    if (!isRecord(raw)) continue;
    const port = typeof raw['port'] === 'number' ? raw['port'] : Number(raw['port']);
    if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
    const rawTarget = raw['targetPort'];
    const targetPort =
      typeof rawTarget === 'number' ? rawTarget : typeof rawTarget === 'string' ? (/^\d+$/.test(rawTarget) ? Number(rawTarget) : rawTarget) : port;
    const protocol: Protocol = raw['protocol'] === 'UDP' || raw['protocol'] === 'SCTP' ? raw['protocol'] : 'TCP';
    ports.push({
      ...(typeof raw['name'] === 'string' ? { name: raw['name'] } : {}),
      port,
      targetPort,
      protocol,
      ...(typeof raw['nodePort'] === 'number' ? { nodePort: raw['nodePort'] } : {}),
    });
  }
  return ports;
}

function parseService(object: UnknownRecord, namespace: string, name: string): InventoryService {
  const metadata = metadataOf(object);
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const clusterIps = Array.isArray(spec['clusterIPs'])
    ? spec['clusterIPs'].filter((ip): ip is string => typeof ip === 'string')
    : typeof spec['clusterIP'] === 'string' && spec['clusterIP'] !== 'None'
      ? [spec['clusterIP']]
      : [];
  return {
    namespace,
    name,
    labels: readStringMapLenient(metadata['labels']),
    annotations: readStringMapLenient(metadata['annotations']),
    ...(isRecord(spec['selector']) ? { selector: readStringMapLenient(spec['selector']) } : {}),
    type: typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP',
    ...(typeof spec['clusterIP'] === 'string' ? { clusterIp: spec['clusterIP'] } : {}),
    clusterIps,
    ...(typeof spec['externalName'] === 'string' ? { externalName: spec['externalName'] } : {}),
    ports: parseServicePorts(spec['ports']),
  };
}

/** Reads a backend in either the v1 (`service: {name, port}`) or v1beta1 (`serviceName`) shape. */
function ingressBackend(value: unknown): ExposureBackend | undefined {
  if (!isRecord(value)) return undefined;
  const service = value['service'];
  if (isRecord(service) && typeof service['name'] === 'string') {
    const port = isRecord(service['port']) ? service['port'] : {};
    const servicePort = typeof port['number'] === 'number' ? port['number'] : typeof port['name'] === 'string' ? port['name'] : undefined;
    return { serviceName: service['name'], ...(servicePort !== undefined ? { servicePort } : {}) };
  }
  if (typeof value['serviceName'] === 'string') {
    const raw = value['servicePort'];
    const servicePort = typeof raw === 'number' || typeof raw === 'string' ? raw : undefined;
    return { serviceName: value['serviceName'], ...(servicePort !== undefined ? { servicePort } : {}) };
  }
  return undefined;
}

function parseIngress(object: UnknownRecord, namespace: string, name: string): InventoryExposure {
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const backends: ExposureBackend[] = [];
  const hosts: string[] = [];
  const push = (backend: ExposureBackend | undefined): void => {
    if (backend) backends.push(backend);
  };
  push(ingressBackend(spec['defaultBackend'] ?? spec['backend']));
  for (const rule of Array.isArray(spec['rules']) ? spec['rules'] : []) {
    if (!isRecord(rule)) continue;
    if (typeof rule['host'] === 'string') hosts.push(rule['host']);
    const http = isRecord(rule['http']) ? rule['http'] : {};
    for (const path of Array.isArray(http['paths']) ? http['paths'] : []) {
      if (isRecord(path)) push(ingressBackend(path['backend']));
    }
  }
  return { kind: 'Ingress', namespace, name, hosts, backends };
}

function parseRoute(object: UnknownRecord, namespace: string, name: string): InventoryExposure {
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const portSpec = isRecord(spec['port']) ? spec['port'] : {};
  const rawTarget = portSpec['targetPort'];
  const servicePort = typeof rawTarget === 'number' || typeof rawTarget === 'string' ? rawTarget : undefined;
  const backends: ExposureBackend[] = [];
  const targets = [spec['to'], ...(Array.isArray(spec['alternateBackends']) ? spec['alternateBackends'] : [])];
  for (const target of targets) {
    if (!isRecord(target) || typeof target['name'] !== 'string') continue;
    if (target['kind'] !== undefined && target['kind'] !== 'Service') continue;
    backends.push({ serviceName: target['name'], ...(servicePort !== undefined ? { servicePort } : {}) });
  }
  return { kind: 'Route', namespace, name, hosts: typeof spec['host'] === 'string' ? [spec['host']] : [], backends };
}

function podIps(object: UnknownRecord): string[] {
  const status = isRecord(object['status']) ? object['status'] : {};
  const ips = new Set<string>();
  if (Array.isArray(status['podIPs'])) {
    for (const entry of status['podIPs']) if (isRecord(entry) && typeof entry['ip'] === 'string') ips.add(entry['ip']);
  }
  if (typeof status['podIP'] === 'string') ips.add(status['podIP']);
  return [...ips];
}

/** Flattens `List`, `PodList`, `NamespaceList`, … (any kind ending in `List` with `items`). */
function flatten(objects: readonly unknown[], errors: InventoryError[]): RawObject[] {
  const out: RawObject[] = [];
  const visit = (value: unknown, objectIndex: number, path: string, itemKind?: string, itemApiVersion?: unknown): void => {
    if (!isRecord(value)) {
      errors.push({ kind: 'not-an-object', objectIndex, ...(path ? { field: path } : {}), message: 'document is not a Kubernetes object' });
      return;
    }
    const kind = value['kind'];
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value['items'])) {
      // Items of a typed list (`PodList`, `NamespaceList`) may omit kind/apiVersion: they inherit them.
      const inherited = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      value['items'].forEach((item, index) => visit(item, objectIndex, `${path}items[${index}].`, inherited, value['apiVersion']));
      return;
    }
    if (kind === undefined && itemKind !== undefined) {
      out.push({ object: { ...value, kind: itemKind, apiVersion: value['apiVersion'] ?? itemApiVersion }, objectIndex, path });
      return;
    }
    out.push({ object: value, objectIndex, path });
  };
  objects.forEach((object, index) => {
    // Empty YAML documents decode to null; they carry nothing and are not an error.
    if (object === null || object === undefined) return;
    visit(object, index, '');
  });
  return out;
}

/**
 * Builds an `Inventory` from already-decoded Kubernetes objects (JSON or YAML documents, `*List`
 * wrappers included). Objects without `metadata.namespace` are placed in `default`. Policies are
 * validated strictly; a policy with an invalid field is skipped and reported in `errors`, the rest
 * still loads. Unrelated kinds (ConfigMap, Secret, …) are ignored silently.
 */
export function buildInventory(objects: readonly unknown[]): BuildInventoryResult {
  const errors: InventoryError[] = [];
  const namespaces = new Map<string, InventoryNamespace>();
  const rawPods: Array<{ object: UnknownRecord; namespace: string; name: string }> = [];
  const controllers = new Map<string, ControllerObject>();
  const services: InventoryService[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  const adminNetworkPolicies: AdminNetworkPolicy[] = [];
  const baselineAdminNetworkPolicies: BaselineAdminNetworkPolicy[] = [];
  const exposures: InventoryExposure[] = [];
  const impliedNamespaces = new Set<string>();

  for (const { object, objectIndex, path } of flatten(objects, errors)) {
    const kind = typeof object['kind'] === 'string' ? object['kind'] : '';
    const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
    const metadata = metadataOf(object);
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
    const rawNamespace = metadata['namespace'];
    const namespace = typeof rawNamespace === 'string' && rawNamespace !== '' ? rawNamespace : DEFAULT_NAMESPACE;
    const clusterScoped = kind === 'Namespace' || kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy';
    const label = describe(kind || 'object', clusterScoped ? undefined : namespace, name || '<unnamed>');
    try {
      if (kind === '') throw new FieldProblem('kind', 'kind is missing');
      const versions = POLICY_API_VERSIONS[kind];
      if (versions && !versions.includes(apiVersion)) {
        throw new FieldProblem(
          'apiVersion',
          `unsupported apiVersion ${JSON.stringify(apiVersion)} for ${kind} (expected ${versions.join(' or ')})`,
          'unsupported-api-version',
        );
      }
      if ((versions || kind === 'Namespace' || CONTROLLER_KINDS.has(kind) || kind === 'Pod' || kind === 'Service') && name === '') {
        throw new FieldProblem('metadata.name', 'metadata.name is required');
      }
      if (!clusterScoped && (versions || CONTROLLER_KINDS.has(kind) || kind === 'Pod' || kind === 'Service')) impliedNamespaces.add(namespace);
      switch (kind) {
        case 'Namespace': {
          const labels = { ...readStringMapLenient(metadata['labels']), [NAMESPACE_NAME_LABEL]: name };
          namespaces.set(name, { name, labels, annotations: readStringMapLenient(metadata['annotations']), declared: true });
          break;
        }
        case 'Pod':
          rawPods.push({ object, namespace, name });
          break;
        case 'Service':
          services.push(parseService(object, namespace, name));
          break;
        case 'NetworkPolicy':
          networkPolicies.push(parseNetworkPolicy(object, namespace, name));
          break;
        case 'AdminNetworkPolicy':
          adminNetworkPolicies.push(parseAdminNetworkPolicy(object, name));
          break;
        case 'BaselineAdminNetworkPolicy':
          baselineAdminNetworkPolicies.push(parseBaselineAdminNetworkPolicy(object, name));
          break;
        case 'Ingress':
          exposures.push(parseIngress(object, namespace, name));
          break;
        case 'Route':
          exposures.push(parseRoute(object, namespace, name));
          break;
        default: {
          if (!CONTROLLER_KINDS.has(kind)) break;
          const workloadKind = kind as WorkloadKind;
          const spec = isRecord(object['spec']) ? object['spec'] : {};
          const owner = controllerOwner(metadata);
          controllers.set(`${namespace}/${kind}/${name}`, {
            kind: workloadKind,
            namespace,
            name,
            labels: { ...readStringMapLenient(metadata['labels']) },
            annotations: { ...readStringMapLenient(metadata['annotations']) },
            template: parsePodTemplate(templateOf(workloadKind, spec)),
            ...(typeof spec['replicas'] === 'number' ? { replicas: spec['replicas'] } : {}),
            ...(owner ? { owner } : {}),
          });
        }
      }
    } catch (problem) {
      if (!(problem instanceof FieldProblem)) throw problem;
      errors.push({
        kind: problem.problemKind,
        objectIndex,
        object: label,
        field: `${path}${problem.field}`,
        message: problem.message,
      });
    }
  }

  // Follow ReplicaSet → Deployment and Job → CronJob when the intermediate object is known.
  const resolveOwner = (namespace: string, owner: OwnerRef, depth = 0): WorkloadRef => {
    const known = controllers.get(`${namespace}/${owner.kind}/${owner.name}`);
    if (known?.owner && CONTROLLER_KINDS.has(known.owner.kind) && depth < 4) return resolveOwner(namespace, known.owner, depth + 1);
    const kind = CONTROLLER_KINDS.has(owner.kind) ? (owner.kind as WorkloadKind) : 'Pod';
    return { kind, namespace, name: owner.name };
  };

  const workloads = new Map<string, InventoryWorkload & { podNames: string[] }>();
  for (const controller of controllers.values()) {
    // A ReplicaSet/Job whose owner is a known controller is an implementation detail of that owner.
    if (controller.owner && CONTROLLER_KINDS.has(controller.owner.kind)) {
      const top = resolveOwner(controller.namespace, controller.owner);
      if (top.kind !== controller.kind || top.name !== controller.name) {
        if (controllers.has(`${top.namespace}/${top.kind}/${top.name}`)) continue;
        // Owner named but absent: the owner is the workload; this object's template stands in for it.
        const id = workloadId(top);
        if (!workloads.has(id)) {
          workloads.set(id, { id, ...top, labels: {}, annotations: {}, template: controller.template, podNames: [], origin: 'owner-reference' });
        }
        continue;
      }
    }
    const ref: WorkloadRef = { kind: controller.kind, namespace: controller.namespace, name: controller.name };
    const id = workloadId(ref);
    workloads.set(id, {
      id,
      ...ref,
      labels: controller.labels,
      annotations: controller.annotations,
      template: controller.template,
      ...(controller.replicas !== undefined ? { replicas: controller.replicas } : {}),
      podNames: [],
      origin: 'manifest',
    });
  }

  const pods: InventoryPod[] = [];
  for (const { object, namespace, name } of rawPods) {
    const metadata = metadataOf(object);
    const template = parsePodTemplate(object);
    const ownerRef = controllerOwner(metadata);
    const owner: WorkloadRef =
      ownerRef && CONTROLLER_KINDS.has(ownerRef.kind) ? resolveOwner(namespace, ownerRef) : { kind: 'Pod', namespace, name };
    const spec = isRecord(object['spec']) ? object['spec'] : {};
    const status = isRecord(object['status']) ? object['status'] : {};
    pods.push({
      namespace,
      name,
      labels: template.labels,
      annotations: template.annotations,
      ips: podIps(object),
      ...(typeof status['hostIP'] === 'string' ? { hostIp: status['hostIP'] } : {}),
      ...(typeof spec['nodeName'] === 'string' ? { nodeName: spec['nodeName'] } : {}),
      hostNetwork: template.hostNetwork,
      containers: template.containers,
      initContainers: template.initContainers,
      owner,
    });
    const id = workloadId(owner);
    const existing = workloads.get(id);
    if (existing) {
      existing.podNames.push(name);
    } else {
      workloads.set(id, {
        id,
        ...owner,
        labels: owner.kind === 'Pod' ? template.labels : {},
        annotations: owner.kind === 'Pod' ? template.annotations : {},
        template,
        podNames: [name],
        origin: owner.kind === 'Pod' ? 'bare-pod' : 'owner-reference',
      });
    }
  }

  for (const name of impliedNamespaces) {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, annotations: {}, declared: false });
  }
  for (const exposure of exposures) {
    if (!namespaces.has(exposure.namespace)) {
      namespaces.set(exposure.namespace, { name: exposure.namespace, labels: { [NAMESPACE_NAME_LABEL]: exposure.namespace }, annotations: {}, declared: false });
    }
  }

  const byName = <T extends { namespace?: string; name: string }>(a: T, b: T): number =>
    (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
  return {
    inventory: {
      namespaces: [...namespaces.values()].sort(byName),
      pods: pods.sort(byName),
      workloads: [...workloads.values()].sort((a, b) => a.id.localeCompare(b.id)),
      services: services.sort(byName),
      networkPolicies: networkPolicies.sort(byName),
      adminNetworkPolicies: adminNetworkPolicies.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name)),
      baselineAdminNetworkPolicies: baselineAdminNetworkPolicies.sort(byName),
      exposures: exposures.sort(byName),
    },
    errors,
  };
}
