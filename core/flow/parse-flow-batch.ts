import { DEFAULT_HUBBLE_WINDOW_MS, HubbleWindowAggregator, type LinedFlow } from './aggregate-hubble-flows';
import type { HubblePolicyMemory } from './hubble-policy-memory';
import { detectFlowFormat } from './detect-flow-format';
import type { EndpointResolver } from './endpoint-resolver';
import { MAX_LINE_LENGTH, type LineParseContext, type LineResult } from './line-result';
import { parseCalico } from './parse-calico';
import { parseGoldmane } from './parse-goldmane';
import { parseHubble } from './parse-hubble';
import { parseNative } from './parse-native';
import { isVpcHeader, normaliseVpcFieldName, parseVpc, VPC_DEFAULT_FIELDS, vpcFieldsFromText, vpcTokens } from './parse-vpc';
import type { FlowFormat } from './types';

export interface ParseFlowBatchOptions {
  /** Cluster the batch came from (slug); stamped on every flow. */
  clusterId: string;
  /** Skip detection and parse every line as this format. */
  format?: FlowFormat;
  /** VPC field order when the batch has no header line; default v2. Given without `format`, it also makes an undetectable batch VPC. */
  vpcFields?: string[];
  /** Hubble aggregation window; default 10 s. */
  hubbleWindowMs?: number;
  /** Carries Hubble policy decisions across batches (a collector keeps one); without it, each batch stands alone. */
  hubblePolicyMemory?: HubblePolicyMemory;
  resolver?: EndpointResolver;
  /** Time stamped on records that carry none (VPC custom formats without start/end); default 0. */
  defaultTimeMs?: number;
}

export interface ParseFlowBatchError {
  line: number;
  kind: string;
  message: string;
}

export interface ParseFlowBatchResult {
  /** The format used (explicit or detected); null when it could not be detected. */
  format: FlowFormat | null;
  flows: LinedFlow[];
  errors: ParseFlowBatchError[];
  skipped: Array<{ line: number; reason: string }>;
}

/**
 * Parses a batch of flow-log lines (one record per line) in one format into canonical flows.
 * The format is `options.format`, else detected from the first non-empty lines (see `detectFlowFormat`).
 * Hubble events are aggregated into `hubbleWindowMs` windows before they are returned.
 *
 * Bad input never throws: each bad line becomes one `errors` entry (1-based line, kind, message naming the
 * field) and the other lines still parse. An undetectable batch gives one `unknown-format` error per line.
 * Lines longer than 64 KiB are `line-too-long` errors. Blank lines are ignored; VPC headers and
 * NODATA/SKIPDATA records are listed in `skipped`.
 */
export function parseFlowBatch(text: string | readonly string[], options: ParseFlowBatchOptions): ParseFlowBatchResult {
  const lines = typeof text === 'string' ? text.split('\n') : text;
  const configuredVpcFields = options.vpcFields && options.vpcFields.length > 0 ? vpcFieldsFromText(options.vpcFields) : undefined;
  let format = options.format ?? detectFlowFormat(lines);
  if (format === null && configuredVpcFields && !firstNonEmpty(lines)?.trimStart().startsWith('{')) format = 'vpc';
  const result: ParseFlowBatchResult = { format, flows: [], errors: [], skipped: [] };

  if (format === null) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      result.errors.push({
        line: i + 1,
        kind: 'unknown-format',
        message: 'unknown flow format: expected Calico, Goldmane, Hubble, AWS VPC or native (v:1) records; pass a format explicitly if detection is wrong',
      });
    }
    return result;
  }

  const context: LineParseContext = { clusterId: options.clusterId, resolver: options.resolver, defaultTimeMs: options.defaultTimeMs ?? 0 };
  const parse = LINE_PARSERS[format];
  let vpcFields: readonly string[] = configuredVpcFields ?? VPC_DEFAULT_FIELDS;
  const hubble = format === 'hubble' ? new HubbleWindowAggregator(options.hubbleWindowMs ?? DEFAULT_HUBBLE_WINDOW_MS, options.hubblePolicyMemory) : undefined;

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    const lineNumber = i + 1;
    if (line.length > MAX_LINE_LENGTH) {
      result.errors.push({ line: lineNumber, kind: 'line-too-long', message: `line is ${line.length} characters; the limit is ${MAX_LINE_LENGTH}` });
      continue;
    }
    if (line.charCodeAt(line.length - 1) === 13 /* \r */) line = line.slice(0, -1);
    if (line.charCodeAt(0) !== 123 /* { */ && line.trim() === '') continue;

    let outcome: LineResult;
    if (format === 'vpc') {
      const tokens = vpcTokens(line);
      if (isVpcHeader(tokens)) {
        vpcFields = tokens.map(normaliseVpcFieldName);
        result.skipped.push({ line: lineNumber, reason: 'header' });
        continue;
      }
      outcome = parseVpc(line, vpcFields, context);
    } else {
      outcome = parse(line, context);
    }

    if (outcome.ok === true) {
      if (hubble) hubble.add(outcome.flow, lineNumber, true);
      else result.flows.push({ flow: outcome.flow, line: lineNumber });
    } else if (outcome.ok === false) {
      result.errors.push({ line: lineNumber, kind: outcome.kind, message: outcome.message });
    } else {
      result.skipped.push({ line: lineNumber, reason: outcome.reason });
    }
  }

  if (hubble) result.flows = hubble.flows();
  return result;
}

const LINE_PARSERS: Record<FlowFormat, (line: string, context: LineParseContext) => LineResult> = {
  calico: parseCalico,
  goldmane: parseGoldmane,
  hubble: parseHubble,
  native: parseNative,
  vpc: (line, context) => parseVpc(line, VPC_DEFAULT_FIELDS, context),
};

function firstNonEmpty(lines: readonly string[]): string | undefined {
  for (const line of lines) if (line.trim() !== '') return line;
  return undefined;
}
