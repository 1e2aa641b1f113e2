import { FieldError, lineError, type LineParseContext, type LineResult } from './line-result';
import type { Endpoint, EndpointKind, Flow, PolicyAction, PolicyHit, Reporter, Verdict } from './types';
import { counter, isAbsent, isObject, labelsFromWire, optionalString, port, protocolFromWire, timeMs, type WireObject } from './wire-readers';
import { workloadFromAggregate } from './workload-from-pod-name';

/*
 * Goldmane (Calico OSS 3.30+) flows reach us in three JSON renderings of the same proto (goldmane/proto/api.proto):
 *  - whisker-backend's REST shape: flat snake_case, enums as names (`"Allow"`, `"Src"`), times RFC 3339,
 *    labels joined with " | ";
 *  - the emitter's Go encoding/json of `Flow`: a nested `Key` (snake_case or PascalCase keys), enums as numbers;
 *  - protojson: lowerCamelCase keys, enums as names, int64 as strings.
 * Keys are therefore looked up in all three spellings (`source_name`, `sourceName`, `SourceName`).
 */

const ENDPOINT_TYPES: Record<string, EndpointKind> = {
  workloadendpoint: 'workload', '1': 'workload', wep: 'workload',
  hostendpoint: 'host', '2': 'host', hep: 'host',
  networkset: 'networkset', '3': 'networkset', ns: 'networkset',
  network: 'external', '4': 'external', net: 'external',
};
const REPORTERS: Record<string, Reporter> = { src: 'source', '1': 'source', dst: 'destination', '2': 'destination' };
const FLOW_ACTIONS: Record<string, Verdict> = { allow: 'allowed', '1': 'allowed', deny: 'denied', '2': 'denied', pass: 'allowed', '3': 'allowed' };
const HIT_ACTIONS: Record<string, PolicyAction> = { allow: 'allow', '1': 'allow', deny: 'deny', '2': 'deny', pass: 'pass', '3': 'pass', log: 'log' };
/** PolicyKind enum numbers → verbatim kind names (7/8 were renamed ClusterNetworkPolicy*Tier in later releases). */
const POLICY_KIND_NUMBERS: Record<string, string> = {
  '1': 'CalicoNetworkPolicy', '2': 'GlobalNetworkPolicy', '3': 'StagedNetworkPolicy', '4': 'StagedGlobalNetworkPolicy',
  '5': 'StagedKubernetesNetworkPolicy', '6': 'NetworkPolicy', '7': 'AdminNetworkPolicy', '8': 'BaselineAdminNetworkPolicy',
  '9': 'Profile', '10': 'EndOfTier',
};

const VARIANTS = new Map<string, readonly string[]>();

/** `source_name` → [`source_name`, `sourceName`, `SourceName`]: the spellings the three renderings use. */
function variants(snake: string): readonly string[] {
  let names = VARIANTS.get(snake);
  if (names === undefined) {
    const camel = snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    names = [snake, camel, camel.charAt(0).toUpperCase() + camel.slice(1)];
    VARIANTS.set(snake, names);
  }
  return names;
}

interface Layer {
  object: WireObject;
  /** Path prefix of this object in error messages, e.g. `Key.`. */
  path: string;
}

/** Looks a field up in the Key first, then the Flow (labels and counters live on the Flow, identity on the Key). */
class Lookup {
  constructor(private readonly layers: readonly Layer[]) {}
  get(snake: string): unknown {
    for (const layer of this.layers) {
      for (const name of variants(snake)) {
        const value = layer.object[name];
        if (value !== undefined) return value;
      }
    }
    return undefined;
  }
  /** The field as written in the input, for error messages. */
  field(snake: string): string {
    for (const layer of this.layers) {
      for (const name of variants(snake)) if (layer.object[name] !== undefined) return layer.path + name;
    }
    return snake;
  }
}

function enumKey(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : typeof value === 'number' ? String(value) : '';
}

/** Parses one Goldmane/Whisker flow JSON line into a canonical flow. Never throws. */
export function parseGoldmane(line: string, context: LineParseContext): LineResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (error) {
    return lineError('invalid-json', `invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) return lineError('invalid-line', 'expected a JSON object');
  try {
    return { ok: true, flow: goldmaneToFlow(doc, context) };
  } catch (error) {
    if (error instanceof FieldError) return error.toResult();
    throw error;
  }
}

function goldmaneToFlow(doc: WireObject, context: LineParseContext): Flow {
  // FlowResult ({id, flow}) and FlowUpdate ({flow}) wrap the Flow.
  const wrapped = doc.flow ?? doc.Flow;
  const top: Layer = isObject(wrapped) ? { object: wrapped, path: doc.flow !== undefined ? 'flow.' : 'Flow.' } : { object: doc, path: '' };
  const keyName = top.object.Key !== undefined ? 'Key' : 'key';
  const keyObject = top.object[keyName];
  const f = new Lookup(isObject(keyObject) ? [{ object: keyObject, path: `${top.path}${keyName}.` }, top] : [top]);

  const startRaw = f.get('start_time');
  if (startRaw === undefined) throw new FieldError('start_time', 'epoch seconds or an RFC 3339 time', undefined);
  const startMs = timeMs(startRaw, f.field('start_time'));
  const endRaw = f.get('end_time');
  const endMs = endRaw === undefined ? startMs : timeMs(endRaw, f.field('end_time'));

  const reporterRaw = f.get('reporter');
  const reporter = REPORTERS[enumKey(reporterRaw)];
  if (!reporter) throw new FieldError(f.field('reporter'), '"Src" or "Dst"', reporterRaw);
  const actionRaw = f.get('action');
  const verdict = FLOW_ACTIONS[enumKey(actionRaw)];
  if (!verdict) throw new FieldError(f.field('action'), '"Allow", "Deny" or "Pass"', actionRaw);

  const source = goldmaneEndpoint(f, 'source');
  const destination = goldmaneEndpoint(f, 'dest');
  const serviceName = optionalString(f.get('dest_service_name'), f.field('dest_service_name'));
  if (serviceName !== undefined) {
    const serviceNamespace = optionalString(f.get('dest_service_namespace'), f.field('dest_service_namespace'));
    destination.serviceName = serviceNamespace === undefined ? serviceName : `${serviceNamespace}/${serviceName}`;
  }
  const protoKey = f.get('proto') !== undefined ? 'proto' : 'protocol';

  const flow: Flow = {
    clusterId: context.clusterId,
    startMs,
    endMs,
    source,
    destination,
    protocol: protocolFromWire(f.get(protoKey), f.field(protoKey)),
    destinationPort: nonZeroPort(f.get('dest_port'), f.field('dest_port')),
    verdict,
    reporter,
    policyTrace: [],
    bytesOut: counter(f.get('bytes_out'), f.field('bytes_out')),
    bytesIn: counter(f.get('bytes_in'), f.field('bytes_in')),
    packetsOut: counter(f.get('packets_out'), f.field('packets_out')),
    packetsIn: counter(f.get('packets_in'), f.field('packets_in')),
    connections: counter(f.get('num_connections_started'), f.field('num_connections_started')),
    format: 'goldmane',
  };

  const policies = f.get('policies');
  if (!isAbsent(policies)) {
    const policiesField = f.field('policies');
    if (!isObject(policies)) throw new FieldError(policiesField, 'an object', policies);
    const p = new Lookup([{ object: policies, path: `${policiesField}.` }]);
    const enforcedKey = p.get('enforced') !== undefined ? 'enforced' : 'enforced_policies';
    const pendingKey = p.get('pending') !== undefined ? 'pending' : 'pending_policies';
    flow.policyTrace = readHits(p.get(enforcedKey), p.field(enforcedKey)) ?? [];
    const pending = readHits(p.get(pendingKey), p.field(pendingKey));
    if (pending && pending.length > 0) flow.pendingTrace = pending;
  }
  return flow;
}

/** Goldmane writes 0 for "no port" (int64 without presence), e.g. ICMP. */
function nonZeroPort(value: unknown, field: string): number | null {
  const n = port(value, field);
  return n === 0 ? null : n;
}

function goldmaneEndpoint(f: Lookup, prefix: 'source' | 'dest'): Endpoint {
  const nameField = f.field(`${prefix}_name`);
  const name = optionalString(f.get(`${prefix}_name`), nameField);
  const namespace = optionalString(f.get(`${prefix}_namespace`), f.field(`${prefix}_namespace`));
  const labels = labelsFromWire(f.get(`${prefix}_labels`), f.field(`${prefix}_labels`));
  const typeRaw = f.get(`${prefix}_type`);
  let kind: EndpointKind | undefined;
  if (typeRaw !== undefined && typeRaw !== 0 && typeRaw !== 'EndpointTypeUnspecified') {
    kind = ENDPOINT_TYPES[enumKey(typeRaw)];
    if (!kind) throw new FieldError(f.field(`${prefix}_type`), 'WorkloadEndpoint|HostEndpoint|NetworkSet|Network', typeRaw);
  } else if (name === 'pub' || name === 'pvt') {
    // Whisker's REST shape has no endpoint type; `pub`/`pvt` are Calico's names for unknown networks.
    kind = 'external';
  } else {
    kind = namespace !== undefined ? 'workload' : 'unknown';
  }
  if (name === undefined) throw new FieldError(nameField, 'a name', f.get(`${prefix}_name`));
  const endpoint: Endpoint = { kind, name, labels };
  if (kind === 'workload') {
    const workload = workloadFromAggregate(name);
    if (workload.bare) {
      endpoint.kind = 'pod';
      endpoint.workloadKind = 'Pod';
      endpoint.pod = name;
    } else {
      endpoint.name = workload.name;
      if (workload.workloadKind !== undefined) endpoint.workloadKind = workload.workloadKind;
    }
  }
  if (namespace !== undefined && kind !== 'host' && kind !== 'external') endpoint.namespace = namespace;
  return endpoint;
}

function readHits(value: unknown, field: string): PolicyHit[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) throw new FieldError(field, 'a list of policy hits', value);
  const indexed: Array<{ index: number; hit: PolicyHit }> = [];
  for (let i = 0; i < value.length; i++) {
    const raw: unknown = value[i];
    if (!isObject(raw)) throw new FieldError(`${field}[${i}]`, 'a policy hit object', raw);
    indexed.push(readHit(new Lookup([{ object: raw, path: `${field}[${i}].` }]), i));
  }
  indexed.sort((a, b) => a.index - b.index);
  return indexed.map((entry) => entry.hit);
}

/**
 * One PolicyHit. An `EndOfTier` hit has no name of its own: the policy that selected the flow and so
 * triggered the tier's default action is in `trigger`, and its name/namespace are used.
 */
function readHit(h: Lookup, position: number): { index: number; hit: PolicyHit } {
  const kindRaw = h.get('kind');
  const kind = typeof kindRaw === 'number' || /^\d+$/.test(String(kindRaw)) ? POLICY_KIND_NUMBERS[String(kindRaw)] : (kindRaw as string | undefined);
  if (typeof kind !== 'string' || kind === '' || kind === 'KindUnspecified') throw new FieldError(h.field('kind'), 'a policy kind', kindRaw);
  const actionRaw = h.get('action');
  const action = HIT_ACTIONS[enumKey(actionRaw)];
  if (!action) throw new FieldError(h.field('action'), '"Allow", "Deny" or "Pass"', actionRaw);
  let name = optionalString(h.get('name'), h.field('name'));
  let namespace = optionalString(h.get('namespace'), h.field('namespace'));
  const tier = optionalString(h.get('tier'), h.field('tier'));
  const trigger = h.get('trigger');
  if (name === undefined && isObject(trigger)) {
    const t = new Lookup([{ object: trigger, path: `${h.field('trigger')}.` }]);
    name = optionalString(t.get('name'), t.field('name'));
    namespace = optionalString(t.get('namespace'), t.field('namespace'));
  }
  const ruleRaw = h.get('rule_index');
  let ruleIndex = kind === 'EndOfTier' ? -1 : 0;
  if (ruleRaw !== undefined && ruleRaw !== null) {
    ruleIndex = typeof ruleRaw === 'string' && /^-?\d+$/.test(ruleRaw) ? Number(ruleRaw) : (ruleRaw as number);
    if (!Number.isInteger(ruleIndex)) throw new FieldError(h.field('rule_index'), 'an integer', ruleRaw);
  }
  const indexRaw = h.get('policy_index');
  let index = position;
  if (indexRaw !== undefined && indexRaw !== null) {
    index = Number(indexRaw);
    if (!Number.isInteger(index)) throw new FieldError(h.field('policy_index'), 'an integer', indexRaw);
  }
  const hit: PolicyHit = { kind, name: name ?? '', action, ruleIndex, staged: kind.startsWith('Staged') };
  if (tier !== undefined) hit.tier = tier;
  if (namespace !== undefined) hit.namespace = namespace;
  return { index, hit };
}
