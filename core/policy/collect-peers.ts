import type { ContainerPort, Inventory, InventoryPod, StringMap, WorkloadRef } from '../inventory/types';
import type { PodPeer } from './policy-peer';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** `namespace/name[Kind]`, the connlist name of a workload. */
export function workloadPeerName(ref: WorkloadRef): string {
  return `${ref.namespace}/${ref.name}[${ref.kind}]`;
}

/** Namespace labels by name; unknown namespaces get only the label the API server always sets. */
export function namespaceLabelsOf(inventory: Pick<Inventory, 'namespaces'>, namespace: string): StringMap {
  const found = inventory.namespaces.find((candidate) => candidate.name === namespace);
  return found ? found.labels : { [NAMESPACE_NAME_LABEL]: namespace };
}

function labelKey(labels: StringMap, ignoredKeys: ReadonlySet<string>): string {
  return JSON.stringify(
    Object.entries(labels)
      .filter(([key]) => !ignoredKeys.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function portsOf(containers: InventoryPod['containers']): ContainerPort[] {
  return containers.flatMap((container) => container.ports);
}

/**
 * Labels a controller stamps on each pod individually (a StatefulSet's pod name and index). Every
 * StatefulSet pod differs from its siblings by them, yet no verdict can differ unless a policy selects
 * on them — so they are ignored when telling siblings apart, unless some policy mentions the key.
 */
const PER_POD_LABELS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'];

function perPodLabelsNoPolicyUses(inventory: Inventory): ReadonlySet<string> {
  const policyText = JSON.stringify([inventory.networkPolicies, inventory.adminNetworkPolicies, inventory.baselineAdminNetworkPolicies]);
  return new Set(PER_POD_LABELS.filter((key) => !policyText.includes(JSON.stringify(key))));
}

/**
 * The peers connectivity is computed between: one per workload, evaluated through one
 * representative pod (all its pods share the template, so they share the verdict). Live pods whose
 * labels differ from their siblings' would get a different verdict, so each becomes its own
 * `ns/pod[Pod]` peer, as the reference analyzer does.
 */
export function collectPeers(inventory: Inventory): PodPeer[] {
  const namespaceLabels = new Map(inventory.namespaces.map((namespace) => [namespace.name, namespace.labels]));
  const labelsFor = (namespace: string): StringMap => namespaceLabels.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
  const podsByName = new Map(inventory.pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod]));
  const ignoredKeys = perPodLabelsNoPolicyUses(inventory);
  const peers: PodPeer[] = [];
  for (const workload of inventory.workloads) {
    const ref: WorkloadRef = { kind: workload.kind, namespace: workload.namespace, name: workload.name };
    const pods = workload.podNames
      .map((name) => podsByName.get(`${workload.namespace}/${name}`))
      .filter((pod): pod is InventoryPod => pod !== undefined);
    const first = pods[0];
    if (!first) {
      peers.push({
        kind: 'pod',
        name: workloadPeerName(ref),
        namespace: workload.namespace,
        namespaceLabels: labelsFor(workload.namespace),
        labels: workload.template.labels,
        ports: portsOf(workload.template.containers),
        workload: ref,
      });
      continue;
    }
    const firstKey = labelKey(first.labels, ignoredKeys);
    peers.push({
      kind: 'pod',
      name: workloadPeerName(ref),
      namespace: workload.namespace,
      namespaceLabels: labelsFor(workload.namespace),
      labels: first.labels,
      // A pod stub without containers (trimmed dumps) falls back to the workload's template.
      ports: first.containers.length > 0 ? portsOf(first.containers) : portsOf(workload.template.containers),
      workload: ref,
    });
    for (const pod of pods.slice(1)) {
      if (labelKey(pod.labels, ignoredKeys) === firstKey) continue;
      const podRef: WorkloadRef = { kind: 'Pod', namespace: pod.namespace, name: pod.name };
      peers.push({
        kind: 'pod',
        name: workloadPeerName(podRef),
        namespace: pod.namespace,
        namespaceLabels: labelsFor(pod.namespace),
        labels: pod.labels,
        ports: portsOf(pod.containers),
        workload: podRef,
      });
    }
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name));
}
