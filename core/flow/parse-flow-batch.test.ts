import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeFlow } from '../testing';
import { MAX_LINE_LENGTH } from './line-result';
import { parseFlowBatch } from './parse-flow-batch';
import { serializeNativeFlow } from './serialize-native-flow';

// The public samples are read in place from `<repo>/../shared` (never copied); tests on them skip when it is absent.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const flowSamplesDir = path.join(path.resolve(repoRoot, '../shared'), 'samples', 'flows');
const hasSharedSamples = existsSync(flowSamplesDir);
if (!hasSharedSamples) console.warn(`[flowlens tests] ${flowSamplesDir} is absent: tests on the real public samples are skipped.`);
const flowSamplePath = (relativePath: string): string => path.join(flowSamplesDir, relativePath);
const readFlowSample = (relativePath: string): string => readFileSync(flowSamplePath(relativePath), 'utf8');

describe.skipIf(!hasSharedSamples)('detection on the real samples', () => {
  it.each([
    ['calico/tigera-observability-clinic-flows.log', 'calico'],
    ['calico/tigera-docs-legacy-space-delimited-flowlog.txt', 'calico'],
    ['hubble/basic-sample-10-flows.json', 'hubble'],
    ['hubble/cilium-docs-export-dropped-fieldmask.jsonl', 'hubble'],
    ['aws-vpc/01-default-v2-accept-reject.log', 'vpc'],
    ['aws-vpc/02-default-v2-nodata-skipdata.log', 'vpc'],
    ['aws-vpc/04-default-v2-ipv6-ssh.log', 'vpc'],
  ])('%s → %s', (file, format) => {
    const result = parseFlowBatch(readFlowSample(file), { clusterId: 'c' });
    expect(result.format).toBe(format);
    expect(result.errors).toEqual([]);
  });

  it('a custom VPC format without a header needs its field list', () => {
    const text = readFlowSample('aws-vpc/05-custom-v3-tcp-flags.log');
    expect(parseFlowBatch(text, { clusterId: 'c' }).errors[0]?.kind).toBe('unknown-format');
    const withHeader = `${readFlowSample('aws-vpc/05-custom-v3-tcp-flags.format').trim()}\n${text}`;
    const result = parseFlowBatch(withHeader, { clusterId: 'c' });
    expect(result.format).toBe('vpc');
    expect(result.errors).toEqual([]);
    expect(result.flows[0]).toMatchObject({ line: 2, flow: { tcpFlags: ['SYN'], destinationPort: 5001 } });
  });
});

describe('parseFlowBatch', () => {
  const good = serializeNativeFlow(makeFlow());

  it('gives one unknown-format error per non-empty line', () => {
    const result = parseFlowBatch('hello world\n\nfoo\n', { clusterId: 'c' });
    expect(result.format).toBeNull();
    expect(result.flows).toEqual([]);
    expect(result.errors.map((error) => [error.line, error.kind])).toEqual([[1, 'unknown-format'], [3, 'unknown-format']]);
  });

  it('detects past a truncated first line, and the bad line is still reported', () => {
    const result = parseFlowBatch(['{"v":1,"startMs":', good, '', `${good}\r`], { clusterId: 'c' });
    expect(result.format).toBe('native');
    expect(result.flows.map((entry) => entry.line)).toEqual([2, 4]);
    expect(result.errors).toEqual([{ line: 1, kind: 'invalid-json', message: expect.stringContaining('invalid JSON') }]);
  });

  it('rejects huge lines without parsing them', () => {
    const huge = `{"v":1,"pad":"${'x'.repeat(MAX_LINE_LENGTH)}"}`;
    const result = parseFlowBatch([good, huge, good].join('\n'), { clusterId: 'c' });
    expect(result.flows.map((entry) => entry.line)).toEqual([1, 3]);
    expect(result.errors).toEqual([{ line: 2, kind: 'line-too-long', message: `line is ${huge.length} characters; the limit is ${MAX_LINE_LENGTH}` }]);
  });

  it('an explicit format wins over detection', () => {
    const result = parseFlowBatch(good, { clusterId: 'c', format: 'hubble' });
    expect(result.format).toBe('hubble');
    expect(result.errors).toEqual([{ line: 1, kind: 'missing-field', message: 'field "time": expected an RFC 3339 time, got nothing' }]);
  });

  it('wrong types in a mixed batch are per-line errors', () => {
    const result = parseFlowBatch([good, '[1,2,3]', 'null', good], { clusterId: 'c', format: 'native' });
    expect(result.flows.map((entry) => entry.line)).toEqual([1, 4]);
    expect(result.errors.map((error) => [error.line, error.kind])).toEqual([[2, 'invalid-field'], [3, 'invalid-field']]);
  });
});
