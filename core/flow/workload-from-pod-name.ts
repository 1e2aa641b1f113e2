/**
 * Kubernetes' random suffix alphabet (apimachinery `rand.String` / `SafeEncodeString`): no vowels and no
 * 0/1/3, so words and version strings rarely look like a hash.
 */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
/** `<deployment>-<pod-template-hash>-<5 random>`; the hash holds at least one digit to avoid eating real words. */
const REPLICASET_POD = new RegExp(`^(.+)-((?=[a-z0-9]*\\d)(?:${SAFE}{6,10}|\\d{6,10}))-${SAFE}{5}$`);
/** `<deployment>-<pod-template-hash>-*`: a Calico aggregate of one ReplicaSet's pods. */
const REPLICASET_AGGREGATE = new RegExp(`^(.+)-((?=[a-z0-9]*\\d)(?:${SAFE}{6,10}|\\d{6,10}))-\\*$`);
const STATEFULSET_POD = /^(.+)-(\d{1,5})$/;
/** DaemonSet, Job, or a bare ReplicaSet: `<name>-<5 random>`; which one is unknowable from the name alone. */
const GENERATED_POD = new RegExp(`^(.+)-${SAFE}{5}$`);

export interface PodWorkload {
  name: string;
  /** Undefined when the name shows a generated suffix but not which controller made it. */
  workloadKind?: string;
  /** True when the name gives no sign of a controller (a bare pod). */
  bare: boolean;
}

/**
 * Best guess of a pod's controlling workload from its name alone, used when neither the source
 * (Hubble `workloads`) nor the inventory says: `reviews-v1-545db77b95-s6jb8` → Deployment `reviews-v1`,
 * `redis-0` → StatefulSet `redis`, `node-local-dns-88zrp` → `node-local-dns` (kind unknown),
 * `xwing` → the bare pod itself.
 */
export function workloadFromPodName(pod: string): PodWorkload {
  let match = REPLICASET_POD.exec(pod);
  if (match?.[1]) return { name: match[1], workloadKind: 'Deployment', bare: false };
  match = STATEFULSET_POD.exec(pod);
  if (match?.[1]) return { name: match[1], workloadKind: 'StatefulSet', bare: false };
  match = GENERATED_POD.exec(pod);
  if (match?.[1]) return { name: match[1], bare: false };
  return { name: pod, workloadKind: 'Pod', bare: true };
}

/**
 * Workload from a Calico/Goldmane aggregated name. Only a ReplicaSet aggregate (`checkoutservice-598d5b586d-*`)
 * is rewritten (to Deployment `checkoutservice`); any other aggregate (`node-local-dns-*`, `rails-81531*`) is kept
 * raw because its controller is unknown. A name without `*` is a single pod: `bare` is true.
 */
export function workloadFromAggregate(aggregate: string): PodWorkload {
  if (!aggregate.endsWith('*')) return { name: aggregate, workloadKind: 'Pod', bare: true };
  const match = REPLICASET_AGGREGATE.exec(aggregate);
  if (match?.[1]) return { name: match[1], workloadKind: 'Deployment', bare: false };
  return { name: aggregate, bare: false };
}
