import type { Endpoint } from './types';

/** What the inventory knows about a pod: its controlling workload and labels. */
export interface ResolvedPod {
  /** Workload name (Deployment/StatefulSet/DaemonSet/… name), or the pod name for a bare pod. */
  name: string;
  /** Kubernetes kind of the workload, verbatim (`Deployment`, `StatefulSet`, …, `Pod`). */
  workloadKind: string;
  labels: Record<string, string>;
}

/**
 * Maps addresses and pods to inventory facts as of a point in time. Implemented outside `core/flow`
 * (from the uploaded inventory snapshots); it must be pure and cheap, because parsers call it per record.
 */
export interface EndpointResolver {
  /** The endpoint behind `ip` at `atMs`, or undefined when the inventory does not know the address. */
  resolveIp(ip: string, atMs: number): Endpoint | undefined;
  /** The workload that owned pod `namespace/pod` at `atMs`, or undefined when unknown. */
  resolvePod(namespace: string, pod: string, atMs: number): ResolvedPod | undefined;
}
