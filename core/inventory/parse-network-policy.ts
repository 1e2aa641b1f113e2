import { parseCidr } from './parse-cidr';
import { parseLabelSelector } from './parse-label-selector';
import {
  FieldProblem,
  isRecord,
  joinField,
  optionalList,
  readPortNumber,
  readPortOrName,
  readProtocol,
  type UnknownRecord,
} from './read-fields';
import type { IpBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule, PolicyDirection } from './types';

/** Validates a CIDR and that every `except` lies inside it (both API-server rules). */
export function parseIpBlock(value: unknown, field: string): IpBlock {
  if (!isRecord(value)) throw new FieldProblem(field, 'ipBlock must be an object');
  const cidrText = value['cidr'];
  if (typeof cidrText !== 'string') throw new FieldProblem(joinField(field, 'cidr'), 'cidr is required');
  const cidr = parseCidr(cidrText.trim());
  if (!cidr.ok) throw new FieldProblem(joinField(field, 'cidr'), cidr.error.message);
  const except = optionalList(value, 'except', field).map((raw, index) => {
    const at = joinField(joinField(field, 'except'), index);
    if (typeof raw !== 'string') throw new FieldProblem(at, 'must be a CIDR string');
    const parsed = parseCidr(raw.trim());
    if (!parsed.ok) throw new FieldProblem(at, parsed.error.message);
    const outer = cidr.value;
    const inner = parsed.value;
    const inside =
      outer.family === 4 && inner.family === 4
        ? inner.range.start >= outer.range.start && inner.range.end <= outer.range.end
        : outer.family === inner.family && inner.prefixLength >= outer.prefixLength;
    if (!inside) throw new FieldProblem(at, `except ${raw} is not inside cidr ${cidrText}`);
    return raw.trim();
  });
  return { cidr: cidrText.trim(), except };
}

function parsePeer(raw: unknown, field: string): NetworkPolicyPeer {
  if (!isRecord(raw)) throw new FieldProblem(field, 'peer must be an object');
  const hasPod = raw['podSelector'] !== undefined && raw['podSelector'] !== null;
  const hasNamespace = raw['namespaceSelector'] !== undefined && raw['namespaceSelector'] !== null;
  const hasIpBlock = raw['ipBlock'] !== undefined && raw['ipBlock'] !== null;
  if (hasIpBlock && (hasPod || hasNamespace)) {
    throw new FieldProblem(field, 'ipBlock cannot be combined with podSelector or namespaceSelector');
  }
  if (!hasIpBlock && !hasPod && !hasNamespace) {
    throw new FieldProblem(field, 'peer needs podSelector, namespaceSelector or ipBlock');
  }
  if (hasIpBlock) return { ipBlock: parseIpBlock(raw['ipBlock'], joinField(field, 'ipBlock')) };
  return {
    ...(hasPod ? { podSelector: parseLabelSelector(raw['podSelector'], joinField(field, 'podSelector')) } : {}),
    ...(hasNamespace
      ? { namespaceSelector: parseLabelSelector(raw['namespaceSelector'], joinField(field, 'namespaceSelector')) }
      : {}),
  };
}

function parsePort(raw: unknown, field: string): NetworkPolicyPort {
  if (!isRecord(raw)) throw new FieldProblem(field, 'port entry must be an object');
  const protocol = readProtocol(raw['protocol'], joinField(field, 'protocol'));
  const rawPort = raw['port'];
  if (rawPort === undefined || rawPort === null) {
    if (raw['endPort'] !== undefined && raw['endPort'] !== null) {
      throw new FieldProblem(joinField(field, 'endPort'), 'endPort needs a numeric port');
    }
    return { protocol };
  }
  const port = readPortOrName(rawPort, joinField(field, 'port'));
  const rawEnd = raw['endPort'];
  if (rawEnd === undefined || rawEnd === null) return { protocol, port };
  if (typeof port === 'string') throw new FieldProblem(joinField(field, 'endPort'), 'endPort cannot be used with a named port');
  const endPort = readPortNumber(rawEnd, joinField(field, 'endPort'));
  if (endPort < port) throw new FieldProblem(joinField(field, 'endPort'), `endPort ${endPort} is below port ${port}`);
  return { protocol, port, endPort };
}

function parseRules(spec: UnknownRecord, key: 'ingress' | 'egress', field: string): NetworkPolicyRule[] {
  const peerKey = key === 'ingress' ? 'from' : 'to';
  return optionalList(spec, key, field).map((raw, index) => {
    const at = joinField(joinField(field, key), index);
    if (raw === null) return { peers: [], ports: [] };
    if (!isRecord(raw)) throw new FieldProblem(at, 'rule must be an object');
    return {
      peers: optionalList(raw, peerKey, at).map((peer, peerIndex) => parsePeer(peer, joinField(joinField(at, peerKey), peerIndex))),
      ports: optionalList(raw, 'ports', at).map((port, portIndex) => parsePort(port, joinField(joinField(at, 'ports'), portIndex))),
    };
  });
}

/**
 * Normalizes a `networking.k8s.io/v1` NetworkPolicy: defaults protocol to TCP and policyTypes to
 * Ingress (+ Egress when egress rules exist), as the API server does.
 */
export function parseNetworkPolicy(object: UnknownRecord, namespace: string, name: string): NetworkPolicy {
  const spec = object['spec'];
  if (!isRecord(spec)) throw new FieldProblem('spec', 'spec is required');
  const podSelector = parseLabelSelector(spec['podSelector'], 'spec.podSelector');
  const ingress = parseRules(spec, 'ingress', 'spec');
  const egress = parseRules(spec, 'egress', 'spec');
  let policyTypes: PolicyDirection[];
  const rawTypes = spec['policyTypes'];
  if (rawTypes === undefined || rawTypes === null || (Array.isArray(rawTypes) && rawTypes.length === 0)) {
    policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  } else {
    policyTypes = optionalList(spec, 'policyTypes', 'spec').map((type, index) => {
      if (type === 'Ingress' || type === 'Egress') return type;
      throw new FieldProblem(`spec.policyTypes[${index}]`, `policy type must be Ingress or Egress, got ${JSON.stringify(type)}`);
    });
  }
  return { kind: 'NetworkPolicy', namespace, name, podSelector, policyTypes: [...new Set(policyTypes)], ingress, egress };
}
