import type { FlowFormat } from './types';
import { isVpcHeader, VPC_DEFAULT_FIELDS, vpcTokens } from './parse-vpc';
import { isObject, type WireObject } from './wire-readers';

const CALICO_ENDPOINT_TYPES = new Set(['wep', 'hep', 'ns', 'net']);
const VPC_STATUSES = new Set(['OK', 'NODATA', 'SKIPDATA']);
/** How many non-empty lines detection looks at before giving up (a truncated first line must not doom the batch). */
const DETECT_LINES = 5;

/** The format one line looks like, or null. */
export function detectLineFormat(line: string): FlowFormat | null {
  const text = line.trim();
  if (text === '') return null;
  if (text.charCodeAt(0) === 123 /* { */) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return null;
    }
    return isObject(doc) ? detectJsonFormat(doc) : null;
  }
  const tokens = vpcTokens(text);
  if (isVpcHeader(tokens)) return 'vpc';
  if (tokens.length === 24 && CALICO_ENDPOINT_TYPES.has(tokens[2] ?? '') && CALICO_ENDPOINT_TYPES.has(tokens[6] ?? '')) return 'calico';
  if (tokens.length === VPC_DEFAULT_FIELDS.length && /^\d+$/.test(tokens[0] ?? '') && VPC_STATUSES.has(tokens[13] ?? '')) return 'vpc';
  return null;
}

function detectJsonFormat(doc: WireObject): FlowFormat | null {
  if (doc.v === 1) return 'native';
  if (isObject(doc.flow) && ('verdict' in doc.flow || 'IP' in doc.flow || 'l4' in doc.flow || 'source' in doc.flow)) return 'hubble';
  if (isObject(doc.flow) && (isObject(doc.flow.Key) || isObject(doc.flow.key))) return 'goldmane';
  if ('verdict' in doc && ('IP' in doc || 'l4' in doc || 'source' in doc || 'node_name' in doc)) return 'hubble';
  const record = isObject(doc._source) ? doc._source : doc;
  const policies = record.policies;
  if ('source_name_aggr' in record || 'dest_name_aggr' in record) return 'calico';
  if (isObject(policies) && ('all_policies' in policies || 'enforced_policies' in policies)) return 'calico';
  if (isObject(doc.Key) || isObject(doc.key)) return 'goldmane';
  if (('source_name' in doc || 'sourceName' in doc || 'SourceName' in doc) && ('dest_name' in doc || 'destName' in doc || 'DestName' in doc)) return 'goldmane';
  return null;
}

/**
 * Detects a batch's format from its first non-empty lines: hubble (`flow` or hubble fields), calico
 * (`*_name_aggr` / `all_policies`, or the legacy 24-field line), goldmane (`Key`, or `source_name`+`dest_name`
 * without Calico's aggregates), native (`"v":1`), vpc (a header, or a line that fits the default v2 format).
 * Returns null when nothing matches.
 */
export function detectFlowFormat(lines: readonly string[]): FlowFormat | null {
  let seen = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const format = detectLineFormat(line);
    if (format) return format;
    if (++seen >= DETECT_LINES) break;
  }
  return null;
}
