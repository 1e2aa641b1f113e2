/**
 * Hostile input, property-based (fast-check): every parser is fed random lines and mutations of the
 * real sample lines — truncation, character flips, deleted fields, swapped types, huge values,
 * unicode and control characters. Properties:
 *   1. no exception escapes a parser, and each outcome is a well-formed LineResult;
 *   2. in a batch, every non-blank line is accounted for exactly once — a flow, a skip, or an error
 *      carrying its own line number — so every bad line is reported where it is;
 *   3. good lines still parse when surrounded by bad ones.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH, type LineParseContext, type LineResult } from './line-result';
import { parseCalico } from './parse-calico';
import { parseFlowBatch } from './parse-flow-batch';
import { parseGoldmane } from './parse-goldmane';
import { parseHubble } from './parse-hubble';
import { parseNative } from './parse-native';
import { parseVpc, VPC_DEFAULT_FIELDS } from './parse-vpc';
import { serializeNativeFlow } from './serialize-native-flow';
import type { FlowFormat } from './types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samplesDir = path.join(path.resolve(repoRoot, '../shared'), 'samples', 'flows');
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function sampleLines(folder: string, filter: (name: string) => boolean = () => true): string[] {
  const dir = path.join(samplesDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => filter(name) && !name.endsWith('.txt') && !name.endsWith('.format'))
    .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '');
}

const goldmaneLines = [
  JSON.stringify({
    Key: {
      SourceName: 'api-0', SourceNamespace: 'shop', SourceType: 1, DestName: 'db-7c9d8f6b5c-*', DestNamespace: 'data', DestType: 1, DestPort: 5432,
      DestServiceName: 'db', DestServiceNamespace: 'data', Proto: 'tcp', Reporter: 2, Action: 1,
      Policies: { EnforcedPolicies: [{ Kind: 6, Namespace: 'data', Name: 'allow-api', Tier: 'default', Action: 1, PolicyIndex: 0, RuleIndex: 0 }], PendingPolicies: [] },
    },
    StartTime: 1746093600, EndTime: 1746093615, SourceLabels: ['app=api'], DestLabels: ['app=db'],
    PacketsIn: 10, PacketsOut: 12, BytesIn: 1000, BytesOut: 2000, NumConnectionsStarted: 2,
  }),
  JSON.stringify({
    key: { sourceName: 'pvt', sourceType: 'Network', destName: 'web-5f7b9c8d6d-*', destNamespace: 'shop', destType: 'WorkloadEndpoint', destPort: '8080', proto: 'udp', reporter: 'Dst', action: 'Allow' },
    startTime: '1746093600', endTime: '1746093615', packetsIn: '4', bytesIn: '400', numConnectionsStarted: '1',
  }),
];

const context: LineParseContext = { clusterId: 'fuzz', defaultTimeMs: 1_700_000_000_000 };

interface Subject {
  format: FlowFormat;
  parse: (line: string) => LineResult;
  seeds: string[];
}

const calicoSeeds = sampleLines('calico', (name) => name.endsWith('.log'));
const hubbleSeeds = sampleLines('hubble');
const vpcSeeds = sampleLines('aws-vpc', (name) => name.startsWith('01-') || name.startsWith('04-'));
const nativeSeeds = parseFlowBatch(calicoSeeds.concat(), { clusterId: 'fuzz', format: 'calico' })
  .flows.map(({ flow }) => serializeNativeFlow(flow))
  .concat(parseFlowBatch(hubbleSeeds.slice(0, 50), { clusterId: 'fuzz', format: 'hubble' }).flows.map(({ flow }) => serializeNativeFlow(flow)));

const SUBJECTS: Subject[] = [
  { format: 'calico', parse: (line) => parseCalico(line, context), seeds: calicoSeeds },
  { format: 'goldmane', parse: (line) => parseGoldmane(line, context), seeds: goldmaneLines },
  { format: 'hubble', parse: (line) => parseHubble(line, context), seeds: hubbleSeeds.slice(0, 200) },
  { format: 'native', parse: (line) => parseNative(line, context), seeds: nativeSeeds },
  { format: 'vpc', parse: (line) => parseVpc(line, VPC_DEFAULT_FIELDS, context), seeds: vpcSeeds.filter((line) => !line.startsWith('version')) },
];

// Values that break assumptions: wrong types, extremes, markup, control and bidi characters, lone surrogates.
const NASTY_VALUES: unknown[] = [
  null, true, false, 0, -1, -0, 1.5, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, '', ' ', 'NaN', 'Infinity', '-1', '99999999999999999999',
  '<script>alert(1)</script>', '"\'><img src=x onerror=alert(1)>', '\u0000', '\u001b[31m', '\u202eevil', '\ud800', '😀'.repeat(10), '../../etc/passwd',
  [], [null], {}, { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, 'x'.repeat(70_000), Array.from({ length: 2000 }, (_, index) => index),
];

const nastyValue = fc.constantFrom(...NASTY_VALUES);
const anyJson = fc.oneof(nastyValue, fc.jsonValue({ maxDepth: 3 }));

type Mutation = (line: string) => string;

function mutateJson(line: string, edit: (record: Record<string, unknown>, keys: string[]) => void): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  // Pick a nested object to edit: the record itself or one of its object-valued fields.
  const objects: Record<string, unknown>[] = [];
  const walk = (node: unknown, depth: number) => {
    if (typeof node !== 'object' || node === null || depth > 4) return;
    if (!Array.isArray(node)) objects.push(node as Record<string, unknown>);
    for (const child of Object.values(node as object)) walk(child, depth + 1);
  };
  walk(value, 0);
  if (objects.length === 0) return line;
  const target = objects[Math.abs(line.length * 31) % objects.length] as Record<string, unknown>;
  edit(target, Object.keys(target));
  return JSON.stringify(value);
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at): Mutation => (line) => line.slice(0, at % (line.length + 1))),
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })).map(([at, char]): Mutation => (line) => {
    const index = at % Math.max(1, line.length);
    return line.slice(0, index) + char + line.slice(index + 1);
  }),
  fc.tuple(fc.nat(), fc.constantFrom('\u0000', '\r', '\t', '\u2028', '\ud800', '\uffff', '\u202e', '"', '\\', '{', '}', ',', '😀')).map(([at, text]): Mutation => (line) => {
    const index = at % (line.length + 1);
    return line.slice(0, index) + text + line.slice(index);
  }),
  fc.nat().map((pick): Mutation => (line) =>
    mutateJson(line, (record, keys) => {
      const key = keys[pick % Math.max(1, keys.length)];
      if (key !== undefined) delete record[key];
    }),
  ),
  fc.tuple(fc.nat(), anyJson).map(([pick, value]): Mutation => (line) =>
    mutateJson(line, (record, keys) => {
      const key = keys[pick % Math.max(1, keys.length)];
      if (key !== undefined) record[key] = value;
    }),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(([pick, spaces]): Mutation => (line) => {
    // Whitespace-separated formats (VPC): swap, drop or duplicate a token.
    const tokens = line.split(' ');
    const index = pick % tokens.length;
    if (spaces % 3 === 0) tokens.splice(index, 1);
    else if (spaces % 3 === 1) tokens[index] = String(NASTY_VALUES[pick % NASTY_VALUES.length]);
    else tokens.push(...tokens);
    return tokens.join(' '.repeat(1 + (spaces % 2)));
  }),
);

function assertWellFormed(result: LineResult): void {
  expect(typeof result).toBe('object');
  if (result.ok === true) {
    expect(typeof result.flow.startMs).toBe('number');
    expect(Number.isFinite(result.flow.startMs)).toBe(true);
    expect(['allowed', 'denied']).toContain(result.flow.verdict);
  } else if (result.ok === false) {
    expect(typeof result.kind).toBe('string');
    expect(typeof result.message).toBe('string');
    expect(result.message.length).toBeGreaterThan(0);
    expect(result.message.length).toBeLessThan(2000); // a huge bad value must not bloat the error table
  } else {
    expect(result.ok).toBe('skip');
  }
}

for (const subject of SUBJECTS) {
  describe(`${subject.format} parser under hostile input`, () => {
    it.skipIf(subject.seeds.length === 0)('has real seed lines that parse', () => {
      const parsed = subject.seeds.map(subject.parse);
      expect(parsed.filter((result) => result.ok === true).length).toBeGreaterThan(0);
    });

    it('never throws on random text', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 400, unit: 'grapheme' }), fc.string({ maxLength: 400, unit: 'binary' }), fc.json({ maxDepth: 4 })), (line) => {
          assertWellFormed(subject.parse(line));
        }),
        { numRuns: RUNS },
      );
    });

    it.skipIf(subject.seeds.length === 0)('never throws on mutated real lines', () => {
      fc.assert(
        fc.property(fc.constantFrom(...subject.seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
          const line = mutations.reduce((current, mutate) => mutate(current), seed);
          assertWellFormed(subject.parse(line));
        }),
        { numRuns: RUNS },
      );
    });

    it.skipIf(subject.seeds.length === 0)('reports every bad line of a batch at its line number; good lines still parse', () => {
      const definitelyBad = subject.format === 'vpc' ? fc.constantFrom('2 123 eni-x not-an-ip', 'garbage', '2 x y z') : fc.constantFrom('{not json', '{"a":', '[1,2,3]', 'null', '"text"', '<script>alert(1)</script>');
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.constantFrom(...subject.seeds).map((line) => ({ line, good: true })), definitelyBad.map((line) => ({ line, good: false }))), { minLength: 1, maxLength: 30 }),
          (entries) => {
            const text = entries.map((entry) => entry.line).join('\n');
            const result = parseFlowBatch(text, { clusterId: 'fuzz', format: subject.format, defaultTimeMs: context.defaultTimeMs });
            const errorLines = new Set(result.errors.map((error) => error.line));
            const skippedLines = new Set(result.skipped.map((skip) => skip.line));
            entries.forEach((entry, index) => {
              if (!entry.good) expect(errorLines.has(index + 1), `line ${index + 1} (${entry.line}) must be reported`).toBe(true);
              else expect(errorLines.has(index + 1) && !subject.seeds.includes(entry.line), `good line ${index + 1} must not be an error`).toBe(false);
            });
            // Each line number is accounted for at most once across errors and skips.
            expect(errorLines.size).toBe(result.errors.length);
            for (const line of errorLines) expect(skippedLines.has(line)).toBe(false);
            if (subject.format !== 'hubble') {
              const goodThatParse = entries.filter((entry, index) => entry.good && !errorLines.has(index + 1) && !skippedLines.has(index + 1)).length;
              expect(result.flows.length).toBe(goodThatParse);
            }
          },
        ),
        { numRuns: Math.max(50, Math.floor(RUNS / 3)) },
      );
    });
  });
}

describe('parseFlowBatch on any input', () => {
  it('never throws, with or without a format, and caps line length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }).map((text) => text.replace(/\n/g, ' ')), fc.constantFrom(...calicoSeeds.slice(0, 5), ...hubbleSeeds.slice(0, 5), ...goldmaneLines, 'x'.repeat(MAX_LINE_LENGTH + 1))), { maxLength: 20 }),
        fc.constantFrom<FlowFormat | undefined>(undefined, 'calico', 'goldmane', 'hubble', 'native', 'vpc'),
        (lines, format) => {
          const result = parseFlowBatch(lines.join('\n'), { clusterId: 'fuzz', ...(format ? { format } : {}) });
          for (const error of result.errors) {
            expect(error.line).toBeGreaterThanOrEqual(1);
            expect(error.line).toBeLessThanOrEqual(lines.length);
          }
          lines.forEach((line, index) => {
            if (line.length > MAX_LINE_LENGTH) expect(result.errors.some((error) => error.line === index + 1 && (error.kind === 'line-too-long' || result.format === null))).toBe(true);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
