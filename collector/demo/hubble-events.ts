/**
 * Simulated connections → Hubble flow events (`{"flow":{…},"node_name","time"}` lines, as
 * `hubble observe -o json` and the Hubble exporter write them; see ../shared/samples/flows/hubble/).
 * Hubble is per packet event, not aggregated: each connection becomes a handful of events (SYN,
 * request, reply, FIN; DNS and HTTP as L7 request/response pairs; a denied SYN as DROPPED). Pure.
 */
import { hashToUint32, type Prng } from './prng';
import type { SimConnection } from './scenario';
import type { PodInfo, PolicySpec, SimEndpoint, Topology } from './topology';

/** Cilium's monitor message types (pkg/monitor/api): drop, trace, L7 access log. */
const EVENT_DROP = 1;
const EVENT_TRACE = 4;
const EVENT_L7 = 129;
/** Cilium drop reason for a policy deny (`DROP_POLICY`), shown as POLICY_DENIED. */
const DROP_POLICY_DENIED = 133;
/** Reserved identity of addresses outside the cluster. */
const WORLD_IDENTITY = 2;

type Json = Record<string, unknown>;

/** Nanosecond timestamp text like the samples (`2021-11-10T10:40:56.465597700Z`). */
function timeText(timeMs: number, nanos: number): string {
  return `${new Date(timeMs).toISOString().slice(0, -1)}${String(nanos).padStart(6, '0')}Z`;
}

function podEndpoint(topology: Topology, pod: PodInfo): Json {
  const labels = Object.entries(pod.labels)
    .filter(([key]) => key !== 'pod-template-hash' && key !== 'statefulset.kubernetes.io/pod-name' && key !== 'apps.kubernetes.io/pod-index')
    .map(([key, value]) => `k8s:${key}=${value}`);
  labels.push(
    `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${pod.namespace}`,
    `k8s:io.cilium.k8s.policy.cluster=${topology.cluster}`,
    `k8s:io.cilium.k8s.policy.serviceaccount=${pod.workload.name}`,
    `k8s:io.kubernetes.pod.namespace=${pod.namespace}`,
  );
  labels.sort();
  return {
    // Endpoint ids are per node and small; identities are per label set (per workload), ≥ 256.
    ID: 100 + (hashToUint32(`${topology.seed}/${pod.name}`) % 3900),
    identity: 10_000 + (hashToUint32(`${topology.seed}/${pod.namespace}/${pod.workload.name}`) % 50_000),
    cluster_name: topology.cluster,
    namespace: pod.namespace,
    labels,
    pod_name: pod.name,
    workloads: [{ name: pod.workload.name, kind: pod.workload.kind }],
  };
}

function endpointJson(topology: Topology, endpoint: SimEndpoint): Json {
  if (endpoint.kind === 'pod') return podEndpoint(topology, endpoint.pod);
  return { identity: WORLD_IDENTITY, labels: ['reserved:world'] };
}

function ipOf(endpoint: SimEndpoint): string {
  return endpoint.kind === 'pod' ? endpoint.pod.ip : endpoint.peer.ip;
}

/** Cilium's `Policy` message for a Kubernetes NetworkPolicy. */
function policyJson(policy: PolicySpec): Json {
  return {
    name: policy.name,
    namespace: policy.namespace,
    labels: [
      'k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy',
      `k8s:io.cilium.k8s.policy.name=${policy.name}`,
      `k8s:io.cilium.k8s.policy.namespace=${policy.namespace}`,
      `k8s:io.cilium.k8s.policy.uid=${policy.uid}`,
    ],
    revision: 4,
    kind: 'NetworkPolicy',
  };
}

type TcpFlags = Partial<Record<'SYN' | 'ACK' | 'PSH' | 'FIN' | 'RST', true>>;

interface EventSpec {
  timeMs: number;
  reply: boolean;
  verdict?: 'FORWARDED' | 'DROPPED';
  flags?: TcpFlags;
  l7?: Json;
  summary: string;
  extra?: Json;
}

export interface HubbleEvent {
  timeMs: number;
  line: string;
}

/**
 * The events one connection produces. Events stay inside [connection start, `windowEndMs`) so a
 * live window never reports the future.
 */
export function hubbleEventsForConnection(topology: Topology, connection: SimConnection, windowEndMs: number, prng: Prng): HubbleEvent[] {
  const start = connection.startMs;
  const spanMs = Math.max(0, Math.min(connection.durationMs, windowEndMs - 1 - start));
  const at = (fraction: number): number => start + Math.floor(spanMs * fraction);
  const specs: EventSpec[] = [];
  const external = connection.source.kind === 'external';
  if (connection.verdict === 'denied') {
    const denied = connection.ingress?.action === 'deny' ? connection.ingress : connection.egress;
    const deniedBy = denied?.policy ? [policyJson(denied.policy)] : [];
    const attempts = connection.packetsOut > 1 ? 2 : 1;
    for (let i = 0; i < attempts; i++) {
      specs.push({
        timeMs: Math.min(windowEndMs - 1, start + i * 1000), reply: false, verdict: 'DROPPED', flags: { SYN: true }, summary: 'TCP Flags: SYN',
        extra: {
          drop_reason: DROP_POLICY_DENIED,
          drop_reason_desc: 'POLICY_DENIED',
          ...(connection.ingress?.action === 'deny' ? { ingress_denied_by: deniedBy } : { egress_denied_by: deniedBy }),
        },
      });
    }
  } else if (connection.protocol === 'UDP') {
    const l7 = connection.l7;
    if (l7?.kind === 'dns') {
      specs.push({
        timeMs: at(0), reply: false,
        l7: { type: 'REQUEST', dns: { query: l7.query, observation_source: 'proxy', qtypes: [l7.qtype] } },
        summary: `DNS Query ${l7.query} ${l7.qtype}`,
      });
      specs.push({
        timeMs: at(1), reply: true,
        l7: { type: 'RESPONSE', latency_ns: String(Math.max(1, connection.durationMs) * 1_000_000), dns: { query: l7.query, ips: l7.ips, ttl: 30, observation_source: 'proxy', rcode: l7.rcode, qtypes: [l7.qtype], rrtypes: [l7.qtype] } },
        summary: `DNS Answer "${l7.ips.join(',')}" TTL: 30 (Proxy ${l7.query} ${l7.qtype})`,
      });
    } else {
      specs.push({ timeMs: at(0), reply: false, summary: 'UDP' }, { timeMs: at(1), reply: true, summary: 'UDP' });
    }
  } else {
    const policyFields: Json = {};
    if (connection.egress?.policy) policyFields.egress_allowed_by = [policyJson(connection.egress.policy)];
    if (connection.ingress?.policy) policyFields.ingress_allowed_by = [policyJson(connection.ingress.policy)];
    specs.push({ timeMs: at(0), reply: false, flags: { SYN: true }, summary: 'TCP Flags: SYN', extra: policyFields });
    const l7 = connection.l7;
    // HTTP visibility is on for chat-ui → rag-api only (an L7 rule there), as a real cluster would have it.
    if (l7?.kind === 'http' && connection.destinationPort === 8000 && connection.source.kind === 'pod' && connection.source.pod.workload.name === 'chat-ui') {
      const http = { method: l7.method, url: l7.url, protocol: 'HTTP/1.1', headers: [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Request-Id', value: requestId(prng) }] };
      specs.push({ timeMs: at(0.02), reply: false, l7: { type: 'REQUEST', http }, summary: `HTTP/1.1 ${l7.method} ${l7.url}` });
      specs.push({
        timeMs: at(0.97), reply: true, l7: { type: 'RESPONSE', latency_ns: String(Math.round(l7.latencyMs * 1_000_000)), http: { ...http, code: l7.code } },
        summary: `HTTP/1.1 ${l7.code} ${Math.round(l7.latencyMs)}ms (${l7.method} ${l7.url})`,
      });
    } else {
      specs.push({ timeMs: at(0.02), reply: false, flags: { PSH: true, ACK: true }, summary: 'TCP Flags: ACK, PSH' });
      specs.push({ timeMs: at(0.95), reply: true, flags: { PSH: true, ACK: true }, summary: 'TCP Flags: ACK, PSH' });
    }
    specs.push({ timeMs: at(1), reply: false, flags: { FIN: true, ACK: true }, summary: 'TCP Flags: ACK, FIN' });
  }
  return specs.map((spec) => ({ timeMs: spec.timeMs, line: JSON.stringify(eventJson(topology, connection, spec, external, prng)) }));
}

function requestId(prng: Prng): string {
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[prng.int(0, 15)]).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function eventJson(topology: Topology, connection: SimConnection, spec: EventSpec, externalSource: boolean, prng: Prng): Json {
  const forward = !spec.reply;
  const from = forward ? connection.source : connection.destination;
  const to = forward ? connection.destination : connection.source;
  const fromPort = forward ? connection.sourcePort : connection.destinationPort;
  const toPort = forward ? connection.destinationPort : connection.sourcePort;
  // Traffic from the internet and dropped ingress are seen where they arrive; everything else at the sender.
  const ingressView = externalSource || (spec.verdict === 'DROPPED' && connection.ingress?.action === 'deny');
  const observer = ingressView ? connection.destination : connection.source;
  const nodeName = observer.kind === 'pod' ? observer.pod.nodeName : 'unknown';
  const time = timeText(spec.timeMs, prng.int(0, 999_999));
  const l4Key = connection.protocol === 'UDP' ? 'UDP' : 'TCP';
  const l4: Json = { source_port: fromPort, destination_port: toPort };
  if (spec.flags) l4.flags = spec.flags;
  const verdict = spec.verdict ?? 'FORWARDED';
  const flow: Json = {
    time,
    verdict,
    ...(spec.extra ?? {}),
    IP: { source: ipOf(from), destination: ipOf(to), ipVersion: 'IPv4' },
    l4: { [l4Key]: l4 },
    source: endpointJson(topology, from),
    destination: endpointJson(topology, to),
    Type: spec.l7 ? 'L7' : 'L3_L4',
    node_name: nodeName,
  };
  const toPeer = to.kind === 'external' ? to.peer : undefined;
  const fromPeer = from.kind === 'external' ? from.peer : undefined;
  if (toPeer?.domain) flow.destination_names = [toPeer.domain];
  if (fromPeer?.domain) flow.source_names = [fromPeer.domain];
  if (spec.l7) flow.l7 = spec.l7;
  if (spec.reply) flow.reply = true;
  flow.event_type = spec.l7 ? { type: EVENT_L7 } : verdict === 'DROPPED' ? { type: EVENT_DROP, sub_type: DROP_POLICY_DENIED } : { type: EVENT_TRACE, sub_type: ingressView ? 0 : 3 };
  if (connection.service && forward) flow.destination_service = { name: connection.service.name, namespace: connection.service.namespace };
  if (connection.service && !forward) flow.source_service = { name: connection.service.name, namespace: connection.service.namespace };
  flow.traffic_direction = ingressView ? 'INGRESS' : 'EGRESS';
  if (!spec.l7) flow.trace_observation_point = ingressView ? 'TO_ENDPOINT' : 'TO_STACK';
  flow.is_reply = spec.reply;
  flow.Summary = spec.summary;
  return { flow, node_name: nodeName, time };
}

/** All events of a window's connections, sorted by time (stable, so equal times keep generation order). */
export function hubbleLines(events: HubbleEvent[]): string[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.timeMs - b.event.timeMs || a.index - b.index)
    .map(({ event }) => event.line);
}
