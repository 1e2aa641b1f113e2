import { z } from 'zod';
import { describeValue, lineError, type LineParseContext, type LineResult } from './line-result';
import { ENDPOINT_KINDS, PROTOCOLS, type Flow } from './types';

/** Version of the native NDJSON record; bump when a field changes meaning. */
export const NATIVE_FLOW_VERSION = 1;

const count = z.number({ error: 'expected a non-negative integer' }).int('expected a non-negative integer').min(0, 'expected a non-negative integer');
const portNumber = z
  .number({ error: 'expected a number 0-65535 or null' })
  .int('expected a number 0-65535')
  .min(0, 'expected a number 0-65535')
  .max(65535, 'expected a number 0-65535');
const text = z.string({ error: 'expected a string' });
const name = z.string({ error: 'expected a non-empty string' }).min(1, 'expected a non-empty string');
const epochMs = z.number({ error: 'expected epoch milliseconds' }).int('expected integer epoch milliseconds').min(0, 'expected epoch milliseconds');

const endpointSchema = z.object({
  kind: z.enum(ENDPOINT_KINDS, { error: `expected one of ${ENDPOINT_KINDS.join('|')}` }),
  namespace: text.optional(),
  name,
  workloadKind: text.optional(),
  pod: text.optional(),
  ip: text.optional(),
  labels: z.record(z.string(), text, { error: 'expected an object of string labels' }).default({}),
  domain: text.optional(),
  serviceName: text.optional(),
});

const policyHitSchema = z.object({
  kind: name,
  tier: text.optional(),
  namespace: text.optional(),
  name: text,
  action: z.enum(['allow', 'deny', 'pass', 'log'], { error: 'expected one of allow|deny|pass|log' }),
  ruleIndex: z.number({ error: 'expected an integer' }).int('expected an integer'),
  staged: z.boolean({ error: 'expected true or false' }).default(false),
});

const l7Schema = z.object({
  http: z
    .object({ method: text.optional(), url: text.optional(), code: z.number({ error: 'expected a number' }).int().optional(), protocol: text.optional() })
    .optional(),
  dns: z
    .object({
      query: text,
      rcode: z.number({ error: 'expected a number' }).int().optional(),
      ips: z.array(text).optional(),
      qtypes: z.array(text).optional(),
    })
    .optional(),
});

/** The native NDJSON record: the canonical {@link Flow} plus `"v": 1`. `clusterId` may be omitted (the batch's is used). */
export const nativeFlowSchema = z.object({
  v: z.literal(NATIVE_FLOW_VERSION, { error: `expected ${NATIVE_FLOW_VERSION}` }),
  clusterId: name.optional(),
  startMs: epochMs,
  endMs: epochMs,
  source: endpointSchema,
  destination: endpointSchema,
  protocol: z.enum(PROTOCOLS, { error: `expected one of ${PROTOCOLS.join('|')}` }),
  destinationPort: portNumber.nullable(),
  sourcePort: portNumber.nullable().optional(),
  verdict: z.enum(['allowed', 'denied'], { error: 'expected "allowed" or "denied"' }),
  dropReason: text.optional(),
  reporter: z.enum(['source', 'destination', 'observer'], { error: 'expected one of source|destination|observer' }),
  policyTrace: z.array(policyHitSchema, { error: 'expected a list of policy hits' }).default([]),
  pendingTrace: z.array(policyHitSchema, { error: 'expected a list of policy hits' }).optional(),
  bytesOut: count.default(0),
  bytesIn: count.default(0),
  packetsOut: count.default(0),
  packetsIn: count.default(0),
  connections: count.default(0),
  l7: l7Schema.optional(),
  tcpFlags: z.array(text).optional(),
  format: z.string().optional(),
});

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Parses one flowlens native NDJSON line. Validation is zod (this format is for low-volume pipelines where
 * precise messages matter more than speed); the first issue becomes the error:
 * `field "destinationPort": expected a number 0-65535, got "abc"`. The record keeps the `format` it was
 * first parsed from, else `native`. Never throws.
 */
export function parseNative(line: string, context: LineParseContext): LineResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (error) {
    return lineError('invalid-json', `invalid JSON: ${(error as Error).message}`);
  }
  const parsed = nativeFlowSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return lineError('invalid-line', 'invalid native record');
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
    const got = valueAt(doc, issue.path);
    const kind = got === undefined ? 'missing-field' : 'invalid-field';
    return lineError(kind, `field "${path || '(record)'}": ${issue.message}, got ${describeValue(got)}`);
  }
  const { v: _version, clusterId, format, ...rest } = parsed.data;
  void _version;
  const flow = { ...rest, clusterId: clusterId ?? context.clusterId, format: isFormat(format) ? format : 'native' } as Flow;
  return { ok: true, flow };
}

function isFormat(value: string | undefined): value is Flow['format'] {
  return value === 'calico' || value === 'goldmane' || value === 'hubble' || value === 'vpc' || value === 'native';
}
