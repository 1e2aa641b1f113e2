import { FieldError, lineError, type LineParseContext, type LineResult } from './line-result';
import type { Endpoint, Flow, Verdict } from './types';
import { counter, port, protocolFromWire, timeMs } from './wire-readers';

/** The default (version 2) VPC Flow Logs format. */
export const VPC_DEFAULT_FIELDS: readonly string[] = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

/** Every field name VPC Flow Logs versions 2–8 define; a line made only of these is a header. */
const KNOWN_FIELDS = new Set([
  ...VPC_DEFAULT_FIELDS, 'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr',
  'region', 'az-id', 'sublocation-type', 'sublocation-id', 'pkt-src-aws-service', 'pkt-dst-aws-service',
  'flow-direction', 'traffic-path', 'ecs-cluster-arn', 'ecs-cluster-name', 'ecs-container-instance-arn',
  'ecs-container-instance-id', 'ecs-container-id', 'ecs-second-container-id', 'ecs-service-name',
  'ecs-task-definition-arn', 'ecs-task-arn', 'ecs-task-id', 'reject-reason', 'resource-id', 'encryption-status',
]);

/** Field name as AWS spells it: `${srcaddr}` (format string) and `account_id` (some exporters) → `srcaddr`, `account-id`. */
export function normaliseVpcFieldName(token: string): string {
  let name = token.trim();
  if (name.startsWith('${') && name.endsWith('}')) name = name.slice(2, -1);
  return name.replace(/_/g, '-').toLowerCase();
}

/** Splits a field list given as text (`"version srcaddr …"`, `"${version} ${srcaddr}"`) or as an array. */
export function vpcFieldsFromText(fields: string | readonly string[]): string[] {
  const tokens = typeof fields === 'string' ? fields.trim().split(/[\s,]+/) : fields;
  return tokens.filter((token) => token.trim() !== '').map(normaliseVpcFieldName);
}

/** True when the tokens of a line are all VPC field names (a header, as S3 delivery writes one). */
export function isVpcHeader(tokens: readonly string[]): boolean {
  if (tokens.length < 2) return false;
  for (const token of tokens) if (!KNOWN_FIELDS.has(normaliseVpcFieldName(token))) return false;
  return true;
}

/** Splits a record on runs of whitespace, dropping a trailing ` #comment` (annotated documentation samples). */
export function vpcTokens(line: string): string[] {
  const hash = line.indexOf(' #');
  const text = (hash >= 0 ? line.slice(0, hash) : line).trim();
  return text === '' ? [] : text.split(/\s+/);
}

const ACTIONS: Record<string, Verdict> = { ACCEPT: 'allowed', REJECT: 'denied' };
const TCP_FLAG_BITS: Array<[number, string]> = [[1, 'FIN'], [2, 'SYN'], [4, 'RST'], [8, 'PSH'], [16, 'ACK'], [32, 'URG']];

/**
 * Parses one AWS VPC Flow Logs record whose fields are in `fields` order (see {@link VPC_DEFAULT_FIELDS}).
 * `pkt-srcaddr`/`pkt-dstaddr` win over `srcaddr`/`dstaddr` (they are the true peers behind NAT and ENIs);
 * NODATA/SKIPDATA records are skipped, not errors. Never throws.
 *
 * A record is one direction of traffic through one interface, so its bytes and packets are `bytesOut`/`packetsOut`
 * of source → destination. Connections: with `tcp-flags`, 1 when SYN is set without ACK; without them, 1 when the
 * source port is above the destination port (an ephemeral client port toward a service), else 0.
 */
export function parseVpc(line: string, fields: readonly string[], context: LineParseContext): LineResult {
  const tokens = vpcTokens(line);
  if (tokens.length !== fields.length) {
    return lineError('invalid-line', `expected ${fields.length} space-separated fields (${fields.join(' ')}), got ${tokens.length}`);
  }
  const record: Record<string, string | undefined> = {};
  for (let i = 0; i < fields.length; i++) {
    const token = tokens[i] as string;
    record[fields[i] as string] = token === '-' ? undefined : token;
  }
  const status = record['log-status'];
  if (status === 'NODATA' || status === 'SKIPDATA') return { ok: 'skip', reason: status };
  try {
    return { ok: true, flow: vpcRecordToFlow(record, context) };
  } catch (error) {
    if (error instanceof FieldError) return error.toResult();
    throw error;
  }
}

function numeric(record: Record<string, string | undefined>, field: string): number | undefined {
  const text = record[field];
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw new FieldError(field, 'a non-negative integer', text);
  return Number(text);
}

function vpcRecordToFlow(record: Record<string, string | undefined>, context: LineParseContext): Flow {
  const sourceIp = record['pkt-srcaddr'] ?? record.srcaddr;
  const destinationIp = record['pkt-dstaddr'] ?? record.dstaddr;
  if (sourceIp === undefined) throw new FieldError('srcaddr', 'an IP address', undefined);
  if (destinationIp === undefined) throw new FieldError('dstaddr', 'an IP address', undefined);
  const start = numeric(record, 'start');
  const end = numeric(record, 'end');
  const startMs = start === undefined ? context.defaultTimeMs : timeMs(start, 'start');
  const endMs = end === undefined ? startMs : timeMs(end, 'end');
  const actionText = record.action;
  let verdict: Verdict = 'allowed';
  if (actionText !== undefined) {
    const mapped = ACTIONS[actionText];
    if (!mapped) throw new FieldError('action', '"ACCEPT" or "REJECT"', actionText);
    verdict = mapped;
  }
  const sourcePort = port(record.srcport, 'srcport');
  const destinationPort = port(record.dstport, 'dstport');
  const protocol = protocolFromWire(record.protocol, 'protocol');

  let tcpFlags: string[] | undefined;
  const flagBits = numeric(record, 'tcp-flags');
  if (flagBits !== undefined) {
    tcpFlags = [];
    for (const [bit, name] of TCP_FLAG_BITS) if ((flagBits & bit) !== 0) tcpFlags.push(name);
  }
  let connections = 0;
  if (tcpFlags !== undefined) connections = tcpFlags.includes('SYN') && !tcpFlags.includes('ACK') ? 1 : 0;
  else if (sourcePort !== null && destinationPort !== null && sourcePort > destinationPort) connections = 1;

  const source = vpcEndpoint(sourceIp, startMs, context, record['pkt-src-aws-service']);
  const destination = vpcEndpoint(destinationIp, startMs, context, record['pkt-dst-aws-service']);
  const flow: Flow = {
    clusterId: context.clusterId,
    startMs,
    endMs,
    source,
    destination,
    protocol,
    destinationPort: protocol === 'ICMP' || protocol === 'ICMPv6' ? null : destinationPort,
    sourcePort: protocol === 'ICMP' || protocol === 'ICMPv6' ? null : sourcePort,
    verdict,
    reporter: 'observer',
    policyTrace: [],
    bytesOut: counter(numeric(record, 'bytes'), 'bytes'),
    bytesIn: 0,
    packetsOut: counter(numeric(record, 'packets'), 'packets'),
    packetsIn: 0,
    connections,
    format: 'vpc',
  };
  if (verdict === 'denied') flow.dropReason = record['reject-reason'] ?? 'REJECT';
  if (tcpFlags !== undefined && tcpFlags.length > 0) flow.tcpFlags = tcpFlags;
  return flow;
}

function vpcEndpoint(ip: string, atMs: number, context: LineParseContext, awsService: string | undefined): Endpoint {
  const resolved = context.resolver?.resolveIp(ip, atMs);
  if (resolved) return { ...resolved, ip };
  // An unresolved private address is somewhere in the VPC (unknown); anything else is outside it.
  const endpoint: Endpoint = { kind: isPrivateIp(ip) ? 'unknown' : 'external', name: ip, ip, labels: {} };
  if (awsService !== undefined) endpoint.labels['aws-service'] = awsService;
  return endpoint;
}

/** RFC 1918, CGNAT, loopback and link-local IPv4; ULA, link-local and loopback IPv6. */
export function isPrivateIp(ip: string): boolean {
  if (ip.includes(':')) {
    const lower = ip.toLowerCase();
    return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  const parts = ip.split('.');
  const a = Number(parts[0]);
  const b = Number(parts[1]);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}
