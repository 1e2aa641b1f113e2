/**
 * Simulated connections → Calico Enterprise flow-log lines (`flows.log` JSON), in the shape of
 * ../shared/samples/flows/calico/tigera-observability-clinic-flows.log. Felix aggregates per flush
 * interval and per (reporter, endpoints, port, action) with source ports folded (aggregation kind 1:
 * pod names and IPs kept, `*_name_aggr` the ReplicaSet/StatefulSet prefix). Pure.
 */
import type { SimConnection } from './scenario';
import type { PolicyDecision, SimEndpoint } from './topology';

type CalicoReporter = 'src' | 'dst';

interface CalicoEndpointFields {
  ip: string;
  name: string;
  nameAggr: string;
  namespace: string;
  type: 'wep' | 'net' | 'ns';
  labels: { labels: string[] } | null;
}

interface Aggregate {
  connection: SimConnection;
  reporter: CalicoReporter;
  numFlows: number;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  httpAllowedIn: number;
}

function endpointFields(endpoint: SimEndpoint): CalicoEndpointFields {
  if (endpoint.kind === 'pod') {
    const { pod } = endpoint;
    const prefix = pod.replicaSetName ?? pod.workload.name;
    return {
      ip: pod.ip,
      name: pod.name,
      nameAggr: `${prefix}-*`,
      namespace: pod.namespace,
      type: 'wep',
      labels: { labels: Object.entries(pod.labels).map(([key, value]) => `${key}=${value}`).sort() },
    };
  }
  const { peer } = endpoint;
  if (peer.networkSet) {
    return { ip: peer.ip, name: peer.networkSet, nameAggr: peer.networkSet, namespace: '-', type: 'ns', labels: { labels: ['kind=model-hub'] } };
  }
  return { ip: peer.ip, name: '-', nameAggr: 'pub', namespace: '-', type: 'net', labels: null };
}

/**
 * One `policies.all_policies` entry. A Kubernetes NetworkPolicy appears in tier `default` as
 * `<ns>/knp.default.<name>`; no selecting policy means the namespace profile allowed it.
 */
export function calicoPolicyEntry(decision: PolicyDecision | undefined, namespace: string): string {
  if (!decision?.policy) return `0|__PROFILE__|__PROFILE__.kns.${namespace}|allow|0`;
  return `0|default|${decision.policy.namespace}/knp.default.${decision.policy.name}|${decision.action}|${decision.ruleIndex}`;
}

/** Which ends log a connection: both for allowed pod-to-pod, the denying end only for a denied one. */
function reportersOf(connection: SimConnection): CalicoReporter[] {
  const reporters: CalicoReporter[] = [];
  if (connection.verdict === 'denied') {
    reporters.push(connection.ingress?.action === 'deny' ? 'dst' : 'src');
    return reporters;
  }
  if (connection.source.kind === 'pod') reporters.push('src');
  if (connection.destination.kind === 'pod') reporters.push('dst');
  return reporters;
}

function endpointId(endpoint: SimEndpoint): string {
  return endpoint.kind === 'pod' ? endpoint.pod.ip : endpoint.peer.ip;
}

/** Accumulates one flush interval's connections; `size` is the number of lines it would print now. */
export class CalicoWindowAggregator {
  private readonly aggregates = new Map<string, Aggregate>();

  get size(): number {
    return this.aggregates.size;
  }

  /** `weight` is how many real connections this simulated one stands for (counters scale with it). */
  add(connection: SimConnection, weight = 1): void {
    for (const reporter of reportersOf(connection)) {
      const key = `${reporter}|${endpointId(connection.source)}|${endpointId(connection.destination)}|${connection.destinationPort}|${connection.protocol}|${connection.verdict}`;
      let aggregate = this.aggregates.get(key);
      if (!aggregate) {
        aggregate = { connection, reporter, numFlows: 0, bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, httpAllowedIn: 0 };
        this.aggregates.set(key, aggregate);
      }
      aggregate.numFlows += weight;
      // Counters are relative to the reporting endpoint: what the source sent is what the destination received.
      const sent = connection.bytesOut * weight;
      const received = connection.bytesIn * weight;
      if (reporter === 'src') {
        aggregate.bytesOut += sent;
        aggregate.bytesIn += received;
        aggregate.packetsOut += connection.packetsOut * weight;
        aggregate.packetsIn += connection.packetsIn * weight;
      } else {
        aggregate.bytesIn += sent;
        aggregate.bytesOut += received;
        aggregate.packetsIn += connection.packetsOut * weight;
        aggregate.packetsOut += connection.packetsIn * weight;
        if (connection.l7?.kind === 'http') aggregate.httpAllowedIn += weight;
      }
    }
  }

  /** The interval's lines, in first-seen order (deterministic). */
  lines(intervalStartMs: number, intervalEndMs: number): string[] {
    const out: string[] = [];
    for (const aggregate of this.aggregates.values()) out.push(JSON.stringify(calicoRecord(aggregate, intervalStartMs, intervalEndMs)));
    return out;
  }
}

function calicoRecord(aggregate: Aggregate, intervalStartMs: number, intervalEndMs: number): Record<string, unknown> {
  const { connection, reporter } = aggregate;
  const source = endpointFields(connection.source);
  const destination = endpointFields(connection.destination);
  const decision = reporter === 'src' ? connection.egress : connection.ingress;
  const reporterNamespace = reporter === 'src' ? source.namespace : destination.namespace;
  const service = connection.service;
  const domain = connection.destination.kind === 'external' ? connection.destination.peer.domain : undefined;
  const numFlows = Math.max(1, Math.round(aggregate.numFlows));
  // Field order follows the sample so a diff against real output reads easily.
  return {
    start_time: Math.floor(intervalStartMs / 1000),
    end_time: Math.floor(intervalEndMs / 1000),
    source_ip: source.ip,
    source_name: source.name,
    source_name_aggr: source.nameAggr,
    source_namespace: source.namespace,
    nat_outgoing_ports: null,
    source_port: null,
    source_type: source.type,
    source_labels: source.labels,
    dest_ip: destination.ip,
    dest_name: destination.name,
    dest_name_aggr: destination.nameAggr,
    dest_namespace: destination.namespace,
    dest_port: connection.destinationPort,
    dest_type: destination.type,
    dest_labels: destination.labels,
    dest_service_namespace: service?.namespace ?? '-',
    dest_service_name: service?.name ?? '-',
    dest_service_port: service?.portName ?? '-',
    dest_service_port_num: service?.port ?? null,
    dest_domains: domain ? [domain] : null,
    proto: connection.protocol.toLowerCase(),
    action: connection.verdict === 'allowed' ? 'allow' : 'deny',
    reporter,
    policies: { all_policies: [calicoPolicyEntry(decision, reporterNamespace)] },
    bytes_in: Math.round(aggregate.bytesIn),
    bytes_out: Math.round(aggregate.bytesOut),
    num_flows: numFlows,
    num_flows_started: numFlows,
    num_flows_completed: connection.durationMs > 15_000 ? Math.max(0, numFlows - 1) : numFlows,
    packets_in: Math.round(aggregate.packetsIn),
    packets_out: Math.round(aggregate.packetsOut),
    http_requests_allowed_in: Math.round(aggregate.httpAllowedIn),
    http_requests_denied_in: 0,
    process_name: '-',
    num_process_names: 0,
    process_id: '-',
    num_process_ids: 0,
    process_args: ['-'],
    num_process_args: 0,
    original_source_ips: null,
    num_original_source_ips: 0,
    tcp_mean_send_congestion_window: 0,
    tcp_min_send_congestion_window: 0,
    tcp_mean_smooth_rtt: 0,
    tcp_max_smooth_rtt: 0,
    tcp_mean_min_rtt: 0,
    tcp_max_min_rtt: 0,
    tcp_mean_mss: 0,
    tcp_min_mss: 0,
    tcp_total_retransmissions: 0,
    tcp_lost_packets: 0,
    tcp_unrecovered_to: 0,
  };
}
