import { contextMemo, FieldError, lineError, type LineParseContext, type LineResult } from './line-result';
import { policyHitFromCalico, type IndexedPolicyHit } from './policy-hit-from-calico';
import type { Endpoint, EndpointKind, Flow, PolicyHit, Reporter, Verdict } from './types';
import {
  counter,
  isAbsent,
  isObject,
  labelsFromWire,
  optionalString,
  port,
  protocolFromWire,
  timeMs,
  type WireObject,
} from './wire-readers';
import { workloadFromAggregate, workloadFromPodName, type PodWorkload } from './workload-from-pod-name';

const ENDPOINT_TYPES: Record<string, EndpointKind> = { wep: 'workload', hep: 'host', ns: 'networkset', net: 'external' };
const REPORTERS: Record<string, Reporter> = { src: 'source', dst: 'destination', out: 'source', in: 'destination' };
const VERDICTS: Record<string, Verdict> = { allow: 'allowed', deny: 'denied' };

/**
 * Parses one Calico Enterprise/Cloud flow-log line (`flows.log` JSON or an Elasticsearch `_source` doc),
 * or the legacy space-delimited format, into a canonical flow. Never throws.
 */
export function parseCalico(line: string, context: LineParseContext): LineResult {
  if (line.charCodeAt(0) !== 123 /* { */) return parseCalicoLegacy(line, context);
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (error) {
    return lineError('invalid-json', `invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) return lineError('invalid-line', 'expected a JSON object');
  // Elasticsearch hits wrap the flow log in `_source`.
  const record = isObject(doc._source) ? doc._source : doc;
  try {
    return { ok: true, flow: calicoRecordToFlow(record, context) };
  } catch (error) {
    if (error instanceof FieldError) return error.toResult();
    throw error;
  }
}

function calicoRecordToFlow(r: WireObject, context: LineParseContext): Flow {
  if (r.start_time === undefined) throw new FieldError('start_time', 'epoch seconds', undefined);
  const startMs = timeMs(r.start_time, 'start_time');
  const endMs = r.end_time === undefined ? startMs : timeMs(r.end_time, 'end_time');
  const reporter = REPORTERS[String(r.reporter)];
  if (!reporter || typeof r.reporter !== 'string') throw new FieldError('reporter', '"src" or "dst"', r.reporter);
  const verdict = VERDICTS[String(r.action)];
  if (!verdict || typeof r.action !== 'string') throw new FieldError('action', '"allow" or "deny"', r.action);

  const source = calicoEndpoint(context, startMs, 'source', {
    type: r.source_type, aggregate: r.source_name_aggr, name: r.source_name, namespace: r.source_namespace, ip: r.source_ip, labels: r.source_labels,
  });
  const destination = calicoEndpoint(context, startMs, 'dest', {
    type: r.dest_type, aggregate: r.dest_name_aggr, name: r.dest_name, namespace: r.dest_namespace, ip: r.dest_ip, labels: r.dest_labels,
  });
  const serviceName = optionalString(r.dest_service_name, 'dest_service_name');
  if (serviceName !== undefined) {
    const serviceNamespace = optionalString(r.dest_service_namespace, 'dest_service_namespace');
    destination.serviceName = serviceNamespace === undefined ? serviceName : `${serviceNamespace}/${serviceName}`;
  }
  const domain = firstDomain(r.dest_domains);
  if (domain !== undefined) destination.domain = domain;

  const flow: Flow = {
    clusterId: context.clusterId,
    startMs,
    endMs,
    source,
    destination,
    protocol: protocolFromWire(r.proto, 'proto'),
    destinationPort: port(r.dest_port, 'dest_port'),
    sourcePort: port(r.source_port, 'source_port'),
    verdict,
    reporter,
    policyTrace: [],
    bytesOut: counter(r.bytes_out, 'bytes_out'),
    bytesIn: counter(r.bytes_in, 'bytes_in'),
    packetsOut: counter(r.packets_out, 'packets_out'),
    packetsIn: counter(r.packets_in, 'packets_in'),
    connections: counter(r.num_flows_started, 'num_flows_started'),
    format: 'calico',
  };
  applyPolicies(flow, r.policies, context);
  return flow;
}

/** One end of a Calico record as it came over the wire (`source_*` or `dest_*` fields), unchecked. */
interface CalicoEndpointWire {
  type: unknown;
  aggregate: unknown;
  name: unknown;
  namespace: unknown;
  ip: unknown;
  labels: unknown;
}

function calicoEndpoint(
  context: LineParseContext,
  /** The flow's start: the inventory in force then names the pod's workload. */
  atMs: number,
  prefix: 'source' | 'dest',
  wire: CalicoEndpointWire,
): Endpoint {
  // A batch names the same few endpoints over and over: its flows share one Endpoint object per
  // distinct wire form (parsed once; fewer live objects for the garbage collector, and the writer
  // derives each object's id once). Aggregates that the inventory resolves at the flow's time are
  // parsed per flow.
  const labelList = wireLabelList(wire.labels);
  const parts = [wire.type, wire.aggregate, wire.name, wire.namespace, wire.ip];
  const internKey = internable(parts) && labelList !== null ? parts.map(keyPart).join('\u0000') + '\u0000' + labelList.join('\u0001') : undefined;
  const interned = internKey === undefined ? undefined : contextMemo<string, Endpoint>(context, 'calico-endpoint');
  const known = internKey === undefined ? undefined : interned?.get(internKey);
  if (known !== undefined) return known;
  const endpoint = parseCalicoEndpoint(context, atMs, prefix, wire);
  const timeDependent = context.resolver !== undefined && (String(wire.aggregate).includes('*') || String(wire.name).includes('*'));
  if (internKey !== undefined && !timeDependent) interned?.set(internKey, endpoint);
  return endpoint;
}

/** A wire value (a string or absent, see {@link internable}) as part of an intern key. */
function keyPart(value: unknown): string {
  return value === undefined || value === null ? '\u0002' : (value as string);
}

/** Wire values that make a cheap, exact intern key: strings or absent. */
function internable(values: readonly unknown[]): boolean {
  for (const value of values) {
    if (value !== undefined && value !== null && typeof value !== 'string') return false;
  }
  return true;
}

/**
 * Labels in a list form (`["app=x", …]`, or flows.log's `{"labels": [...]}`) as that list, for an
 * intern key; null for any other form (parsed per flow).
 */
function wireLabelList(rawLabels: unknown): readonly string[] | null {
  if (rawLabels === undefined || rawLabels === null) return [];
  const list: unknown = Array.isArray(rawLabels)
    ? rawLabels
    : typeof rawLabels === 'object' && Object.keys(rawLabels).length === 1
      ? (rawLabels as { labels?: unknown }).labels
      : undefined;
  if (!Array.isArray(list)) return null;
  for (const label of list) if (typeof label !== 'string' || label.includes('\u0001')) return null;
  return list as string[];
}

function parseCalicoEndpoint(context: LineParseContext, atMs: number, prefix: 'source' | 'dest', wire: CalicoEndpointWire): Endpoint {
  const { type, aggregate, name: rawName, namespace: rawNamespace, ip: rawIp, labels: rawLabels } = wire;
  const kind = ENDPOINT_TYPES[String(type)];
  if (!kind || typeof type !== 'string') throw new FieldError(`${prefix}_type`, 'one of wep|hep|ns|net', type);
  const nameAggr = optionalString(aggregate, `${prefix}_name_aggr`);
  const name = optionalString(rawName, `${prefix}_name`);
  const namespace = optionalString(rawNamespace, `${prefix}_namespace`);
  const ip = optionalString(rawIp, `${prefix}_ip`);
  const labels = labelsFromWire(rawLabels, `${prefix}_labels`);
  const shown = nameAggr ?? name;
  if (shown === undefined) throw new FieldError(`${prefix}_name_aggr`, 'a name', aggregate);
  const endpoint: Endpoint = { kind, name: shown, labels };
  if (kind === 'workload') {
    const workloads = contextMemo<string, PodWorkload>(context, 'calico-aggregate');
    let workload = workloads.get(shown);
    if (workload === undefined) {
      workload = workloadFromAggregate(shown);
      workloads.set(shown, workload);
    }
    if (workload.bare) {
      endpoint.kind = 'pod';
      endpoint.workloadKind = 'Pod';
      endpoint.pod = shown;
    } else {
      endpoint.name = workload.name;
      if (workload.workloadKind !== undefined) endpoint.workloadKind = workload.workloadKind;
      if (name !== undefined && !name.includes('*')) endpoint.pod = name;
      if (endpoint.name.endsWith('*')) refineAggregate(endpoint, namespace, context, atMs);
    }
  }
  if (namespace !== undefined && kind !== 'host' && kind !== 'external') endpoint.namespace = namespace;
  if (ip !== undefined) endpoint.ip = ip;
  return endpoint;
}

/**
 * An aggregate that is not a ReplicaSet's (`payments-db-*`, `node-local-dns-*`) names a StatefulSet,
 * DaemonSet or Job by its pods' prefix. The inventory knows the controller; else the concrete pod name
 * (`payments-db-0` → StatefulSet `payments-db`); else the prefix without `-*` is the workload name.
 */
function refineAggregate(endpoint: Endpoint, namespace: string | undefined, context: LineParseContext, atMs: number): void {
  if (endpoint.pod && namespace && context.resolver) {
    const resolved = context.resolver.resolvePod(namespace, endpoint.pod, atMs);
    if (resolved) {
      endpoint.name = resolved.name;
      endpoint.workloadKind = resolved.workloadKind;
      return;
    }
  }
  if (endpoint.pod) {
    const fromPod = workloadFromPodName(endpoint.pod);
    if (!fromPod.bare && fromPod.workloadKind !== undefined) {
      endpoint.name = fromPod.name;
      endpoint.workloadKind = fromPod.workloadKind;
      return;
    }
  }
  if (endpoint.name.endsWith('-*')) endpoint.name = endpoint.name.slice(0, -2);
}

function firstDomain(value: unknown): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string') return value.split(',')[0]?.trim() || undefined;
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (first === undefined || first === '-' || first === '') return undefined;
    if (typeof first === 'string') return first;
  }
  throw new FieldError('dest_domains', 'a list of domain names', value);
}

/**
 * Enforced trace: `enforced_policies` when the record has it, else the non-staged entries of `all_policies`.
 * Pending trace: `pending_policies`, else — when `all_policies` holds staged entries — all of it (the
 * staged view includes the enforced policies it did not replace). Entries are sorted by their index,
 * because Calico writes them in no particular order.
 */
function applyPolicies(flow: Flow, policies: unknown, context: LineParseContext): void {
  if (isAbsent(policies)) return;
  if (!isObject(policies)) throw new FieldError('policies', 'an object', policies);
  const enforced = readTrace(policies.enforced_policies, 'policies.enforced_policies', context);
  const pending = readTrace(policies.pending_policies, 'policies.pending_policies', context);
  const all = readTrace(policies.all_policies, 'policies.all_policies', context);
  const allHasStaged = all !== undefined && all.some((hit) => hit.staged);
  if (enforced) flow.policyTrace = enforced;
  else if (all) flow.policyTrace = allHasStaged ? all.filter((hit) => !hit.staged) : all;
  if (pending) flow.pendingTrace = pending;
  else if (allHasStaged) flow.pendingTrace = all;
}

function readTrace(entries: unknown, field: string, context: LineParseContext): PolicyHit[] | undefined {
  if (isAbsent(entries)) return undefined;
  if (!Array.isArray(entries)) throw new FieldError(field, 'a list of "index|tier|name|action|rule"', entries);
  const indexed: IndexedPolicyHit[] = [];
  let sorted = true;
  for (let i = 0; i < entries.length; i++) {
    const raw: unknown = entries[i];
    // The same few policy entries recur on most lines: parse each once per batch (valid ones only).
    const memo = contextMemo<unknown, IndexedPolicyHit>(context, 'calico-policy');
    let entry = memo.get(raw);
    if (entry === undefined) {
      entry = policyHitFromCalico(raw, `${field}[${i}]`);
      if (typeof raw === 'string') memo.set(raw, entry);
    }
    if (i > 0 && entry.index < (indexed[i - 1] as IndexedPolicyHit).index) sorted = false;
    indexed.push(entry);
  }
  if (!sorted) indexed.sort((a, b) => a.index - b.index);
  return indexed.map((entry) => entry.hit);
}

/**
 * Legacy space-delimited flow log (old Calico Enterprise docs), 24 fields:
 * startTime endTime srcType srcNamespace srcName srcLabels dstType dstNamespace dstName dstLabels srcIP dstIP
 * proto srcPort dstPort numFlows numFlowsStarted numFlowsCompleted reporter packetsIn packetsOut bytesIn bytesOut action
 */
const LEGACY_FIELDS = [
  'start_time', 'end_time', 'source_type', 'source_namespace', 'source_name_aggr', 'source_labels',
  'dest_type', 'dest_namespace', 'dest_name_aggr', 'dest_labels', 'source_ip', 'dest_ip',
  'proto', 'source_port', 'dest_port', 'num_flows', 'num_flows_started', 'num_flows_completed',
  'reporter', 'packets_in', 'packets_out', 'bytes_in', 'bytes_out', 'action',
] as const;

function parseCalicoLegacy(line: string, context: LineParseContext): LineResult {
  const tokens = line.trim().split(/\s+/);
  if (tokens.length !== LEGACY_FIELDS.length) {
    return lineError('invalid-line', `expected a JSON object or ${LEGACY_FIELDS.length} space-separated legacy fields, got ${tokens.length} fields`);
  }
  const record: WireObject = {};
  for (let i = 0; i < LEGACY_FIELDS.length; i++) {
    const key = LEGACY_FIELDS[i] as string;
    const token = tokens[i] as string;
    record[key] = /^\d+$/.test(token) && !key.endsWith('_name_aggr') ? Number(token) : token;
  }
  // Legacy labels are `-` or a `k=v,k=v` list.
  for (const key of ['source_labels', 'dest_labels'] as const) {
    const text = record[key];
    record[key] = typeof text === 'string' && text !== '-' ? text.split(',') : null;
  }
  try {
    return { ok: true, flow: calicoRecordToFlow(record, context) };
  } catch (error) {
    if (error instanceof FieldError) return error.toResult();
    throw error;
  }
}
