import type { Endpoint } from '../flow/types';
import type { EndpointResolver, ResolvedPod } from '../flow/endpoint-resolver';
import type { Inventory, InventoryPod } from './types';

export interface InventorySnapshotAt {
  takenAtMs: number;
  inventory: Inventory;
}

interface SnapshotIndex {
  takenAtMs: number;
  byIp: Map<string, Endpoint>;
  byPod: Map<string, ResolvedPod>;
}

/**
 * Builds the collector's enrichment resolver (IP → pod → workload, pod → workload) from inventory
 * snapshots. A flow is resolved against the snapshot in force at its time: the latest taken at or
 * before it, or the earliest when the flow predates every snapshot (better than nothing for backfills).
 */
export function createInventoryResolver(snapshots: readonly InventorySnapshotAt[]): EndpointResolver {
  const indexes = [...snapshots].sort((a, b) => a.takenAtMs - b.takenAtMs).map(indexSnapshot);
  const pick = (atMs: number): SnapshotIndex | undefined => {
    let chosen = indexes[0];
    for (const index of indexes) {
      if (index.takenAtMs <= atMs) chosen = index;
      else break;
    }
    return chosen;
  };
  return {
    resolveIp(ip, atMs) {
      return pick(atMs)?.byIp.get(ip);
    },
    resolvePod(namespace, pod, atMs) {
      return pick(atMs)?.byPod.get(`${namespace}/${pod}`);
    },
  };
}

function indexSnapshot(snapshot: InventorySnapshotAt): SnapshotIndex {
  const byIp = new Map<string, Endpoint>();
  const byPod = new Map<string, ResolvedPod>();
  const { inventory } = snapshot;
  for (const pod of inventory.pods) {
    byPod.set(`${pod.namespace}/${pod.name}`, { name: pod.owner.name, workloadKind: pod.owner.kind, labels: { ...pod.labels } });
    if (pod.hostNetwork) continue; // a host-network pod shares the node's address
    for (const ip of pod.ips) byIp.set(ip, podEndpoint(pod, ip));
  }
  for (const pod of inventory.pods) {
    if (pod.hostIp && !byIp.has(pod.hostIp)) {
      byIp.set(pod.hostIp, { kind: 'host', name: pod.nodeName ?? pod.hostIp, ip: pod.hostIp, labels: {} });
    }
  }
  // A flow addressed to a Service's cluster IP (seen before DNAT) belongs to the workload behind it.
  for (const service of inventory.services) {
    if (!service.selector || Object.keys(service.selector).length === 0) continue;
    const selector = service.selector;
    const backend = inventory.pods.find(
      (pod) => pod.namespace === service.namespace && Object.entries(selector).every(([key, value]) => pod.labels[key] === value),
    );
    for (const ip of service.clusterIps.length > 0 ? service.clusterIps : service.clusterIp ? [service.clusterIp] : []) {
      if (ip === 'None' || byIp.has(ip)) continue;
      const serviceName = `${service.namespace}/${service.name}`;
      byIp.set(
        ip,
        backend
          ? { kind: 'workload', namespace: backend.namespace, name: backend.owner.name, workloadKind: backend.owner.kind, ip, labels: { ...backend.labels }, serviceName }
          : { kind: 'unknown', namespace: service.namespace, name: service.name, ip, labels: {}, serviceName },
      );
    }
  }
  return { takenAtMs: snapshot.takenAtMs, byIp, byPod };
}

function podEndpoint(pod: InventoryPod, ip: string): Endpoint {
  return {
    kind: 'workload',
    namespace: pod.namespace,
    name: pod.owner.name,
    workloadKind: pod.owner.kind,
    pod: pod.name,
    ip,
    labels: { ...pod.labels },
  };
}
