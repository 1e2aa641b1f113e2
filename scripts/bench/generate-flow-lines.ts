/**
 * Deterministic, realistic flow-log lines for benchmarks: Calico flow-log JSON (both reporters for
 * allowed traffic, as a real cluster sends them) and Hubble exporter events, shaped like the real
 * samples in ../shared/samples/flows. Same seed ⇒ same lines.
 */

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workload {
  namespace: string;
  name: string;
  hash: string;
  ip: string;
  labels: string[];
}

function makeWorkloads(random: () => number, count: number, namespaces: number): Workload[] {
  const workloads: Workload[] = [];
  for (let index = 0; index < count; index += 1) {
    const namespace = `team-${index % namespaces}`;
    const name = `svc-${index}`;
    const hash = Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0').slice(0, 10);
    workloads.push({
      namespace,
      name,
      hash,
      ip: `10.${40 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`,
      labels: [`app=${name}`, `pod-template-hash=${hash}`, `team=${namespace}`],
    });
  }
  return workloads;
}

export interface GeneratedBatch {
  format: 'calico' | 'hubble';
  body: string;
  lines: number;
}

/**
 * @param options.eventRateLinesPerSec how fast event time advances per line: a real cluster sending
 * this many lines per second (it decides how much the 1-minute rollups aggregate).
 */
export function generateBatches(options: {
  seed: number;
  batches: number;
  linesPerBatch: number;
  startMs: number;
  eventRateLinesPerSec?: number;
}): GeneratedBatch[] {
  const stepMs = 1000 / (options.eventRateLinesPerSec ?? 50_000);
  const random = mulberry32(options.seed);
  const workloads = makeWorkloads(random, 2000, 100);
  // Services talk to a handful of fixed peers on fixed ports (as real ones do), so edges repeat and
  // the rollups aggregate: 2,000 workloads × 4 peers = 8,000 edges.
  // Traffic is skewed as in real clusters: a few busy front doors and databases carry most flows.
  const pickSourceIndex = (): number => Math.floor(workloads.length * random() ** 3);
  const peerOf = (sourceIndex: number): number => (sourceIndex * 7 + 131 * (1 + Math.floor(random() * 4))) % workloads.length;
  const batches: GeneratedBatch[] = [];
  let clockMs = options.startMs;
  for (let batch = 0; batch < options.batches; batch += 1) {
    const format = batch % 2 === 0 ? 'calico' : 'hubble';
    const lines: string[] = [];
    while (lines.length < options.linesPerBatch) {
      clockMs += stepMs;
      const sourceIndex = pickSourceIndex();
      const destinationIndex = peerOf(sourceIndex);
      const source = workloads[sourceIndex] as Workload;
      const destination = workloads[destinationIndex] as Workload;
      const port = [80, 443, 5432, 6379, 8080, 9090][destinationIndex % 6] as number;
      const denied = random() < 0.08;
      if (format === 'calico') {
        const startSec = Math.floor(clockMs / 1000);
        // Calico aggregates per flush interval: lines of one 15 s interval share its start.
        const base = {
          start_time: startSec,
          end_time: startSec + 15,
          source_ip: source.ip,
          source_name: `${source.name}-${source.hash}-x7k2p`,
          source_name_aggr: `${source.name}-${source.hash}-*`,
          source_namespace: source.namespace,
          source_port: null,
          source_type: 'wep',
          source_labels: { labels: source.labels },
          dest_ip: destination.ip,
          dest_name: `${destination.name}-${destination.hash}-q9w8e`,
          dest_name_aggr: `${destination.name}-${destination.hash}-*`,
          dest_namespace: destination.namespace,
          dest_port: port,
          dest_type: 'wep',
          dest_labels: { labels: destination.labels },
          dest_service_namespace: destination.namespace,
          dest_service_name: destination.name,
          dest_service_port: 'http',
          dest_service_port_num: port,
          proto: 'tcp',
          bytes_in: Math.floor(random() * 100_000),
          bytes_out: Math.floor(random() * 20_000),
          num_flows: 1 + Math.floor(random() * 5),
          num_flows_started: 1 + Math.floor(random() * 5),
          num_flows_completed: 1,
          packets_in: Math.floor(random() * 200),
          packets_out: Math.floor(random() * 100),
          http_requests_allowed_in: 0,
          http_requests_denied_in: 0,
          process_name: '-',
          num_process_names: 0,
          original_source_ips: null,
          num_original_source_ips: 0,
        };
        if (denied) {
          lines.push(JSON.stringify({ ...base, action: 'deny', reporter: 'dst', policies: { all_policies: [`0|default|${destination.namespace}/knp.default.default-deny|deny|-1`] } }));
        } else {
          const allow = { all_policies: [`0|default|${destination.namespace}/knp.default.allow-${source.namespace}|allow|0`] };
          lines.push(JSON.stringify({ ...base, action: 'allow', reporter: 'src', policies: { all_policies: ['0|__PROFILE__|__PROFILE__.kns.' + source.namespace + '|allow|0'] } }));
          if (lines.length < options.linesPerBatch) lines.push(JSON.stringify({ ...base, action: 'allow', reporter: 'dst', policies: allow }));
        }
      } else {
        const time = new Date(Math.floor(clockMs)).toISOString().replace('Z', '123456Z');
        const sourcePort = 30000 + Math.floor(random() * 30000);
        const flow = {
          time,
          verdict: denied ? 'DROPPED' : 'FORWARDED',
          ...(denied ? { drop_reason: 133, drop_reason_desc: 'POLICY_DENIED' } : {}),
          ethernet: { source: '46:e5:ea:1f:95:ff', destination: 'd6:ec:b0:4a:ff:46' },
          IP: { source: source.ip, destination: destination.ip, ipVersion: 'IPv4' },
          l4: { TCP: { source_port: sourcePort, destination_port: port, flags: { SYN: true } } },
          source: {
            ID: 1231, identity: 25339, namespace: source.namespace,
            labels: source.labels.map((label) => `k8s:${label}`), pod_name: `${source.name}-${source.hash}-x7k2p`,
            workloads: [{ name: source.name, kind: 'Deployment' }],
          },
          destination: {
            ID: 2231, identity: 35339, namespace: destination.namespace,
            labels: destination.labels.map((label) => `k8s:${label}`), pod_name: `${destination.name}-${destination.hash}-q9w8e`,
            workloads: [{ name: destination.name, kind: 'Deployment' }],
          },
          Type: 'L3_L4',
          node_name: `node-${source.hash.slice(0, 2)}`,
          event_type: { type: denied ? 1 : 4 },
          traffic_direction: 'EGRESS',
          trace_observation_point: 'TO_ENDPOINT',
          ...(denied ? { ingress_denied_by: [{ name: 'default-deny', namespace: destination.namespace }] } : { egress_allowed_by: [{ name: 'allow-egress', namespace: source.namespace }] }),
          is_reply: false,
          Summary: 'TCP Flags: SYN',
        };
        lines.push(JSON.stringify({ flow, node_name: flow.node_name, time }));
      }
    }
    const body = lines.join('\n') + '\n';
    batches.push({ format, body, lines: lines.length });
  }
  return batches;
}
