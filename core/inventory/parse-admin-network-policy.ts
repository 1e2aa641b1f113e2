import { parseCidr } from './parse-cidr';
import { parseLabelSelector } from './parse-label-selector';
import { FieldProblem, isRecord, joinField, optionalList, readPortNumber, readProtocol, isServiceName, type UnknownRecord } from './read-fields';
import type {
  AdminNetworkPolicy,
  AdminPolicyAction,
  AdminPolicyPeer,
  AdminPolicyPort,
  AdminPolicyRule,
  AdminPolicySubject,
  BaselineAdminNetworkPolicy,
} from './types';

type Flavour = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

function parseSubject(value: unknown, field: string): AdminPolicySubject {
  if (!isRecord(value)) throw new FieldProblem(field, 'subject is required');
  const hasNamespaces = value['namespaces'] !== undefined && value['namespaces'] !== null;
  const hasPods = value['pods'] !== undefined && value['pods'] !== null;
  if (hasNamespaces === hasPods) throw new FieldProblem(field, 'subject needs exactly one of namespaces or pods');
  if (hasNamespaces) {
    return { kind: 'namespaces', namespaceSelector: parseLabelSelector(value['namespaces'], joinField(field, 'namespaces')) };
  }
  const pods = value['pods'];
  const at = joinField(field, 'pods');
  if (!isRecord(pods)) throw new FieldProblem(at, 'must be an object');
  return {
    kind: 'pods',
    namespaceSelector: parseLabelSelector(pods['namespaceSelector'], joinField(at, 'namespaceSelector')),
    podSelector: parseLabelSelector(pods['podSelector'], joinField(at, 'podSelector')),
  };
}

function parsePeer(value: unknown, field: string, direction: 'ingress' | 'egress'): AdminPolicyPeer {
  if (!isRecord(value)) throw new FieldProblem(field, 'peer must be an object');
  const keys = ['namespaces', 'pods', 'nodes', 'networks'].filter((key) => value[key] !== undefined && value[key] !== null);
  if (keys.length !== 1) throw new FieldProblem(field, 'peer needs exactly one of namespaces, pods, nodes or networks');
  const key = keys[0] as string;
  const at = joinField(field, key);
  if (direction === 'ingress' && (key === 'nodes' || key === 'networks')) {
    throw new FieldProblem(at, `${key} peers are only allowed in egress rules`);
  }
  switch (key) {
    case 'namespaces':
      return { kind: 'namespaces', namespaceSelector: parseLabelSelector(value[key], at) };
    case 'pods': {
      const pods = value[key];
      if (!isRecord(pods)) throw new FieldProblem(at, 'must be an object');
      return {
        kind: 'pods',
        namespaceSelector: parseLabelSelector(pods['namespaceSelector'], joinField(at, 'namespaceSelector')),
        podSelector: parseLabelSelector(pods['podSelector'], joinField(at, 'podSelector')),
      };
    }
    case 'nodes':
      return { kind: 'nodes', nodeSelector: parseLabelSelector(value[key], at) };
    default: {
      const cidrs = optionalList(value, key, field).map((raw, index) => {
        const cidrAt = joinField(at, index);
        if (typeof raw !== 'string') throw new FieldProblem(cidrAt, 'must be a CIDR string');
        const parsed = parseCidr(raw.trim());
        if (!parsed.ok) throw new FieldProblem(cidrAt, parsed.error.message);
        return raw.trim();
      });
      if (cidrs.length === 0) throw new FieldProblem(at, 'networks needs at least one CIDR');
      return { kind: 'networks', cidrs };
    }
  }
}

function parsePort(value: unknown, field: string): AdminPolicyPort {
  if (!isRecord(value)) throw new FieldProblem(field, 'port entry must be an object');
  const keys = ['portNumber', 'namedPort', 'portRange'].filter((key) => value[key] !== undefined && value[key] !== null);
  if (keys.length !== 1) throw new FieldProblem(field, 'port needs exactly one of portNumber, namedPort or portRange');
  const key = keys[0] as string;
  const at = joinField(field, key);
  const raw = value[key];
  if (key === 'namedPort') {
    if (typeof raw !== 'string' || !isServiceName(raw)) throw new FieldProblem(at, `invalid port name ${JSON.stringify(raw)}`);
    return { kind: 'namedPort', name: raw };
  }
  if (!isRecord(raw)) throw new FieldProblem(at, 'must be an object');
  const protocol = readProtocol(raw['protocol'], joinField(at, 'protocol'));
  if (key === 'portNumber') return { kind: 'portNumber', protocol, port: readPortNumber(raw['port'], joinField(at, 'port')) };
  const start = readPortNumber(raw['start'], joinField(at, 'start'));
  const end = readPortNumber(raw['end'], joinField(at, 'end'));
  if (end < start) throw new FieldProblem(joinField(at, 'end'), `end ${end} is below start ${start}`);
  return { kind: 'portRange', protocol, start, end };
}

function parseRules(spec: UnknownRecord, direction: 'ingress' | 'egress', flavour: Flavour): AdminPolicyRule[] {
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const allowed: readonly AdminPolicyAction[] = flavour === 'AdminNetworkPolicy' ? ['Allow', 'Deny', 'Pass'] : ['Allow', 'Deny'];
  return optionalList(spec, direction, 'spec').map((raw, index) => {
    const at = `spec.${direction}[${index}]`;
    if (!isRecord(raw)) throw new FieldProblem(at, 'rule must be an object');
    const action = raw['action'];
    if (typeof action !== 'string' || !allowed.includes(action as AdminPolicyAction)) {
      throw new FieldProblem(joinField(at, 'action'), `action must be one of ${allowed.join(', ')}, got ${JSON.stringify(action)}`);
    }
    const peers = optionalList(raw, peerKey, at).map((peer, peerIndex) =>
      parsePeer(peer, joinField(joinField(at, peerKey), peerIndex), direction),
    );
    // An ANP rule without peers selects nothing (the API requires at least one); keep it but it never matches.
    const name = typeof raw['name'] === 'string' ? raw['name'] : undefined;
    const rawPorts = raw['ports'];
    const ports =
      rawPorts === undefined || rawPorts === null
        ? undefined
        : optionalList(raw, 'ports', at).map((port, portIndex) => parsePort(port, joinField(joinField(at, 'ports'), portIndex)));
    return { ...(name !== undefined ? { name } : {}), action: action as AdminPolicyAction, peers, ...(ports ? { ports } : {}) };
  });
}

/** Normalizes a `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy. */
export function parseAdminNetworkPolicy(object: UnknownRecord, name: string): AdminNetworkPolicy {
  const spec = object['spec'];
  if (!isRecord(spec)) throw new FieldProblem('spec', 'spec is required');
  const priority = spec['priority'];
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 1000) {
    throw new FieldProblem('spec.priority', `priority must be an integer 0-1000, got ${JSON.stringify(priority)}`);
  }
  return {
    kind: 'AdminNetworkPolicy',
    name,
    priority,
    subject: parseSubject(spec['subject'], 'spec.subject'),
    ingress: parseRules(spec, 'ingress', 'AdminNetworkPolicy'),
    egress: parseRules(spec, 'egress', 'AdminNetworkPolicy'),
  };
}

/** Normalizes a `policy.networking.k8s.io/v1alpha1` BaselineAdminNetworkPolicy (actions Allow/Deny). */
export function parseBaselineAdminNetworkPolicy(object: UnknownRecord, name: string): BaselineAdminNetworkPolicy {
  const spec = object['spec'];
  if (!isRecord(spec)) throw new FieldProblem('spec', 'spec is required');
  return {
    kind: 'BaselineAdminNetworkPolicy',
    name,
    subject: parseSubject(spec['subject'], 'spec.subject'),
    ingress: parseRules(spec, 'ingress', 'BaselineAdminNetworkPolicy'),
    egress: parseRules(spec, 'egress', 'BaselineAdminNetworkPolicy'),
  };
}
