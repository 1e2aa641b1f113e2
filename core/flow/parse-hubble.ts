import { contextMemo, FieldError, lineError, type LineParseContext, type LineResult } from './line-result';
import type { Endpoint, Flow, L7Summary, PolicyHit, Protocol, Verdict } from './types';
import { isObject, port, timeMs, type WireObject } from './wire-readers';
import { workloadFromPodName, type PodWorkload } from './workload-from-pod-name';

/** Hubble verdicts (flow.proto `Verdict`), by name and number. Only DROPPED and ERROR stop traffic. */
const VERDICTS: Record<string, Verdict> = {
  FORWARDED: 'allowed', DROPPED: 'denied', ERROR: 'denied', AUDIT: 'allowed', REDIRECTED: 'allowed',
  TRACED: 'allowed', TRANSLATED: 'allowed',
  '1': 'allowed', '2': 'denied', '3': 'denied', '4': 'allowed', '5': 'allowed', '6': 'allowed', '7': 'allowed',
};

/**
 * Parses one `hubble observe -o json` / Hubble exporter line (`{"flow":{…},"node_name","time"}`) or a bare
 * flow object into a single-event flow, oriented client → server: for a reply event the endpoints and ports
 * are swapped back and the packet counts as `packetsIn`. The result is an event, not yet a stored flow:
 * {@link aggregateHubbleFlows} folds events into windows and counts connections. Never throws.
 */
export function parseHubble(line: string, context: LineParseContext): LineResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (error) {
    return lineError('invalid-json', `invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) return lineError('invalid-line', 'expected a JSON object');
  const wrapped = isObject(doc.flow);
  const flow = wrapped ? (doc.flow as WireObject) : doc;
  const prefix = wrapped ? 'flow.' : '';
  try {
    return { ok: true, flow: hubbleToFlow(flow, doc, prefix, context) };
  } catch (error) {
    if (error instanceof FieldError) return error.toResult();
    throw error;
  }
}

function hubbleToFlow(f: WireObject, doc: WireObject, prefix: string, context: LineParseContext): Flow {
  const rawTime = f.time ?? doc.time;
  if (rawTime === undefined) throw new FieldError(`${prefix}time`, 'an RFC 3339 time', undefined);
  const atMs = timeMs(rawTime, `${prefix}time`);
  const verdictRaw = f.verdict;
  const verdict = VERDICTS[String(verdictRaw)];
  if (!verdict || (typeof verdictRaw !== 'string' && typeof verdictRaw !== 'number')) {
    throw new FieldError(`${prefix}verdict`, 'FORWARDED|DROPPED|AUDIT|REDIRECTED|ERROR|TRACED|TRANSLATED', verdictRaw);
  }
  const nodeName = typeof f.node_name === 'string' ? f.node_name : typeof doc.node_name === 'string' ? doc.node_name : undefined;

  let sourceIp: string | undefined;
  let destinationIp: string | undefined;
  const ip = f.IP;
  if (isObject(ip)) {
    if (typeof ip.source === 'string') sourceIp = ip.source;
    if (typeof ip.destination === 'string') destinationIp = ip.destination;
  } else if (ip !== undefined) {
    throw new FieldError(`${prefix}IP`, 'an object', ip);
  }

  let protocol: Protocol = 'other';
  let sourcePort: number | null = null;
  let destinationPort: number | null = null;
  let tcpFlags: string[] | undefined;
  const l4 = f.l4;
  if (isObject(l4)) {
    const layer = (l4.TCP ?? l4.UDP ?? l4.SCTP) as unknown;
    if (isObject(layer)) {
      protocol = l4.TCP !== undefined ? 'TCP' : l4.UDP !== undefined ? 'UDP' : 'SCTP';
      const l4Field = `${prefix}l4.${protocol}`;
      sourcePort = port(layer.source_port, `${l4Field}.source_port`);
      destinationPort = port(layer.destination_port, `${l4Field}.destination_port`);
      const flags = layer.flags;
      if (isObject(flags)) {
        tcpFlags = [];
        for (const flag in flags) if (flags[flag] === true) tcpFlags.push(flag.toUpperCase());
      }
    } else if (l4.ICMPv4 !== undefined) {
      protocol = 'ICMP';
    } else if (l4.ICMPv6 !== undefined) {
      protocol = 'ICMPv6';
    }
  }

  const isReply = f.is_reply === true || (f.is_reply === undefined && f.reply === true);
  const source = hubbleEndpoint(f.source, `${prefix}source`, sourceIp, f.source_names, nodeName, atMs, context);
  const destination = hubbleEndpoint(f.destination, `${prefix}destination`, destinationIp, f.destination_names, nodeName, atMs, context);
  const service = f.destination_service;
  if (isObject(service) && typeof service.name === 'string' && service.name !== '') {
    destination.serviceName = typeof service.namespace === 'string' && service.namespace !== '' ? `${service.namespace}/${service.name}` : service.name;
  }

  const policyTrace: PolicyHit[] = [];
  addPolicies(policyTrace, f.egress_allowed_by, 'allow', `${prefix}egress_allowed_by`);
  addPolicies(policyTrace, f.ingress_allowed_by, 'allow', `${prefix}ingress_allowed_by`);
  addPolicies(policyTrace, f.egress_denied_by, 'deny', `${prefix}egress_denied_by`);
  addPolicies(policyTrace, f.ingress_denied_by, 'deny', `${prefix}ingress_denied_by`);

  const startsTcpConnection = !isReply && protocol === 'TCP' && tcpFlags !== undefined && tcpFlags.includes('SYN') && !tcpFlags.includes('ACK');
  const flow: Flow = {
    clusterId: context.clusterId,
    startMs: atMs,
    endMs: atMs,
    // Replies travel server → client; orient the record as the connection (client → server).
    source: isReply ? destination : source,
    destination: isReply ? source : destination,
    protocol,
    destinationPort: isReply ? sourcePort : destinationPort,
    sourcePort: isReply ? destinationPort : sourcePort,
    verdict,
    reporter: 'observer',
    policyTrace,
    bytesOut: 0,
    bytesIn: 0,
    packetsOut: isReply ? 0 : 1,
    packetsIn: isReply ? 1 : 0,
    connections: startsTcpConnection ? 1 : 0,
    format: 'hubble',
  };
  if (verdict === 'denied') {
    const reason = f.drop_reason_desc;
    if (typeof reason === 'string' && reason !== '' && reason !== 'DROP_REASON_UNKNOWN') flow.dropReason = reason;
    else if (typeof f.drop_reason === 'number' && f.drop_reason !== 0) flow.dropReason = String(f.drop_reason);
  }
  if (tcpFlags !== undefined && tcpFlags.length > 0) flow.tcpFlags = tcpFlags;
  const l7 = hubbleL7(f.l7);
  if (l7 !== undefined) flow.l7 = l7;
  return flow;
}

/**
 * Cilium writes labels as `source:key=value` (`k8s:app=reviews`, `reserved:world`). Policy plumbing labels
 * (`io.cilium.k8s.*`, `io.kubernetes.pod.namespace`) are dropped so the result matches the pod's own labels.
 */
interface ParsedLabels {
  labels: Record<string, string>;
  reserved: string | undefined;
}

/**
 * Cilium security identities ≥ 256 stand for one label set cluster-wide, so a batch parses each identity's labels
 * once (flows of one identity share the `labels` object; see `contextMemo`).
 */
function cachedHubbleLabels(e: WireObject, field: string, context: LineParseContext): ParsedLabels {
  const identity = e.identity;
  if (typeof identity !== 'number' || identity < 256) return hubbleLabels(e.labels, field);
  const cache = contextMemo<number, ParsedLabels>(context, 'hubble-labels');
  let parsed = cache.get(identity);
  if (parsed === undefined) {
    parsed = hubbleLabels(e.labels, field);
    cache.set(identity, parsed);
  }
  return parsed;
}

function hubbleLabels(raw: unknown, field: string): ParsedLabels {
  const labels: Record<string, string> = {};
  let reserved: string | undefined;
  if (raw === undefined || raw === null) return { labels, reserved };
  if (!Array.isArray(raw)) throw new FieldError(field, 'a list of "source:key=value" labels', raw);
  for (let i = 0; i < raw.length; i++) {
    const label: unknown = raw[i];
    if (typeof label !== 'string') throw new FieldError(`${field}[${i}]`, 'a "source:key=value" string', label);
    const colon = label.indexOf(':');
    const source = colon > 0 ? label.slice(0, colon) : '';
    const pair = colon > 0 ? label.slice(colon + 1) : label;
    if (source === 'reserved') {
      reserved = moreSpecificReserved(reserved, pair);
      continue;
    }
    if (pair.startsWith('io.cilium.k8s.') || pair.startsWith('io.kubernetes.pod.namespace')) continue;
    const eq = pair.indexOf('=');
    if (eq < 0) labels[pair] = '';
    else labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { labels, reserved };
}

const RESERVED_PRIORITY = ['kube-apiserver', 'host', 'remote-node', 'health', 'ingress', 'world'];
function moreSpecificReserved(current: string | undefined, next: string): string {
  if (current === undefined) return next;
  const a = RESERVED_PRIORITY.indexOf(current);
  const b = RESERVED_PRIORITY.indexOf(next);
  return b >= 0 && (a < 0 || b < a) ? next : current;
}

function hubbleEndpoint(
  raw: unknown,
  field: string,
  ip: string | undefined,
  names: unknown,
  nodeName: string | undefined,
  atMs: number,
  context: LineParseContext,
): Endpoint {
  const e: WireObject = isObject(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isObject(raw)) throw new FieldError(field, 'an object', raw);
  const { labels, reserved } = cachedHubbleLabels(e, `${field}.labels`, context);
  const domain = Array.isArray(names) && typeof names[0] === 'string' && names[0] !== '' ? names[0] : undefined;
  const namespace = typeof e.namespace === 'string' && e.namespace !== '' ? e.namespace : undefined;
  const pod = typeof e.pod_name === 'string' && e.pod_name !== '' ? e.pod_name : undefined;

  let endpoint: Endpoint;
  if (pod !== undefined) {
    // Prefer what the source says about the owner, then the inventory, then the pod name's shape.
    const workloads = e.workloads;
    const declared = Array.isArray(workloads) && isObject(workloads[0]) ? workloads[0] : undefined;
    if (declared && typeof declared.name === 'string' && declared.name !== '') {
      endpoint = { kind: 'workload', name: declared.name, labels, pod };
      if (typeof declared.kind === 'string' && declared.kind !== '') endpoint.workloadKind = declared.kind;
    } else {
      const resolved = context.resolver?.resolvePod(namespace ?? '', pod, atMs);
      if (resolved) {
        const bare = resolved.workloadKind === 'Pod';
        endpoint = { kind: bare ? 'pod' : 'workload', name: resolved.name, workloadKind: resolved.workloadKind, labels: Object.keys(labels).length > 0 ? labels : resolved.labels, pod };
      } else {
        const guesses = contextMemo<string, PodWorkload>(context, 'hubble-pod');
        let guess = guesses.get(pod);
        if (guess === undefined) {
          guess = workloadFromPodName(pod);
          guesses.set(pod, guess);
        }
        endpoint = { kind: guess.bare ? 'pod' : 'workload', name: guess.name, labels, pod };
        if (guess.workloadKind !== undefined) endpoint.workloadKind = guess.workloadKind;
      }
    }
    if (namespace !== undefined) endpoint.namespace = namespace;
  } else if (reserved !== undefined && reserved !== 'world') {
    switch (reserved) {
      case 'host':
        // The node itself; Hubble node names may be `cluster/node`.
        endpoint = { kind: 'host', name: nodeName ? nodeName.slice(nodeName.lastIndexOf('/') + 1) : 'host', labels };
        break;
      case 'remote-node':
        endpoint = { kind: 'host', name: ip ?? 'remote-node', labels };
        break;
      case 'kube-apiserver':
      case 'health':
        endpoint = { kind: 'host', name: reserved, labels };
        break;
      default:
        endpoint = { kind: 'unknown', name: `reserved:${reserved}`, labels };
    }
    if (namespace !== undefined) endpoint.namespace = namespace;
  } else {
    // World or an identity-less endpoint: only the address (and maybe a DNS name) is known.
    const resolved = ip !== undefined ? context.resolver?.resolveIp(ip, atMs) : undefined;
    if (resolved) {
      endpoint = { ...resolved };
    } else {
      endpoint = { kind: reserved === 'world' ? 'external' : 'unknown', name: domain ?? ip ?? reserved ?? 'unknown', labels };
      if (namespace !== undefined) endpoint.namespace = namespace;
    }
  }
  if (ip !== undefined) endpoint.ip = ip;
  if (domain !== undefined) endpoint.domain = domain;
  return endpoint;
}

/**
 * Policies from `*_allowed_by` / `*_denied_by`, egress (evaluated at the source) before ingress.
 * Hubble names the policy but not the rule, so `ruleIndex` is 0 ("a rule of this policy") — except a
 * Kubernetes NetworkPolicy that denies: it has no deny rules, so the drop is its default deny (−1).
 */
function addPolicies(trace: PolicyHit[], raw: unknown, action: 'allow' | 'deny', field: string): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) throw new FieldError(field, 'a list of policies', raw);
  for (let i = 0; i < raw.length; i++) {
    const p: unknown = raw[i];
    if (!isObject(p) || typeof p.name !== 'string') throw new FieldError(`${field}[${i}]`, 'a policy with a name', p);
    const namespace = typeof p.namespace === 'string' && p.namespace !== '' ? p.namespace : undefined;
    let kind = typeof p.kind === 'string' && p.kind !== '' ? p.kind : undefined;
    if (kind === undefined && Array.isArray(p.labels)) {
      for (const label of p.labels) {
        if (typeof label === 'string' && label.includes('io.cilium.k8s.policy.derived-from=')) kind = label.slice(label.indexOf('=') + 1);
      }
    }
    kind ??= namespace !== undefined ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy';
    const ruleIndex = action === 'deny' && kind === 'NetworkPolicy' ? -1 : 0;
    const hit: PolicyHit = { kind, name: p.name, action, ruleIndex, staged: false };
    if (namespace !== undefined) hit.namespace = namespace;
    trace.push(hit);
  }
}

function hubbleL7(raw: unknown): L7Summary | undefined {
  if (!isObject(raw)) return undefined;
  const summary: L7Summary = {};
  const http = raw.http;
  if (isObject(http)) {
    summary.http = {};
    if (typeof http.method === 'string' && http.method !== '') summary.http.method = http.method;
    if (typeof http.url === 'string' && http.url !== '') summary.http.url = http.url;
    if (typeof http.code === 'number' && http.code !== 0) summary.http.code = http.code;
    if (typeof http.protocol === 'string' && http.protocol !== '') summary.http.protocol = http.protocol;
  }
  const dns = raw.dns;
  if (isObject(dns) && typeof dns.query === 'string') {
    summary.dns = { query: dns.query };
    // Protobuf JSON omits a zero rcode (NOERROR), so a response without one succeeded.
    if (raw.type === 'RESPONSE') summary.dns.rcode = typeof dns.rcode === 'number' ? dns.rcode : 0;
    if (Array.isArray(dns.ips) && dns.ips.length > 0) summary.dns.ips = dns.ips.filter((x): x is string => typeof x === 'string');
    if (Array.isArray(dns.qtypes) && dns.qtypes.length > 0) summary.dns.qtypes = dns.qtypes.filter((x): x is string => typeof x === 'string');
  }
  return summary.http || summary.dns ? summary : undefined;
}
