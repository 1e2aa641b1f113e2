import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFlowBatch } from '../../core/flow';

// The public samples are read in place from `<repo>/../shared` (never copied); tests on them skip when it is absent.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const flowSamplesDir = path.join(path.resolve(repoRoot, '../shared'), 'samples', 'flows');
const hasSharedSamples = existsSync(flowSamplesDir);
if (!hasSharedSamples) console.warn(`[flowlens tests] ${flowSamplesDir} is absent: tests on the real public samples are skipped.`);
const flowSamplePath = (relativePath: string): string => path.join(flowSamplesDir, relativePath);
const readFlowSample = (relativePath: string): string => readFileSync(flowSamplePath(relativePath), 'utf8');
const bin = path.join(repoRoot, 'bin', 'flowlens.mjs');

function flowlens(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, input, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(!hasSharedSamples)('flowlens parse (real CLI, real samples)', () => {
  it('prints a Calico record as native NDJSON and exits 0', () => {
    const run = flowlens(['parse', flowSamplePath('calico/tigera-observability-clinic-flows.log'), '--cluster', 'prod']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ v: 1, clusterId: 'prod', verdict: 'denied', destinationPort: 5050, destination: { name: 'checkoutservice', namespace: 'hipstershop' } });
    // The output is valid native input.
    expect(parseFlowBatch(run.stdout, { clusterId: 'x' }).errors).toEqual([]);
  }, 60_000);

  it('parses a custom VPC format given --vpc-fields', () => {
    const fields = readFlowSample('aws-vpc/05-custom-v3-tcp-flags.format').trim();
    const run = flowlens(['parse', flowSamplePath('aws-vpc/05-custom-v3-tcp-flags.log'), '--vpc-fields', fields]);
    expect(run.status).toBe(0);
    const records = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(records).toHaveLength(8);
    expect(records[0]).toMatchObject({ format: 'vpc', tcpFlags: ['SYN'], source: { ip: '52.213.180.42' }, destinationPort: 5001, bytesOut: 568 });
  }, 60_000);

  it('aggregates Hubble events read from stdin with an explicit format', () => {
    const run = flowlens(['parse', '-', '--format', 'hubble'], readFlowSample('hubble/cilium-docs-export-dropped-fieldmask.jsonl'));
    expect(run.status).toBe(0);
    const records = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((record) => record.dropReason)).toEqual(['INVALID_SOURCE_IP', 'POLICY_DENIED']);
  }, 60_000);
});

describe('flowlens parse errors', () => {
  it('reports bad lines on stderr by line number and exits 1, still printing good lines', () => {
    const good = '{"v":1,"startMs":1,"endMs":2,"source":{"kind":"external","name":"pub"},"destination":{"kind":"pod","name":"x"},"protocol":"TCP","destinationPort":80,"verdict":"allowed","reporter":"observer"}';
    const run = flowlens(['parse'], `${good}\n{"v":1,"startMs":\n${good.replace('80', '"abc"')}\n`);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^line 2: invalid-json: /),
      'line 3: invalid-field: field "destinationPort": expected a number 0-65535 or null, got "abc"',
    ]);
  }, 60_000);

  it('exits 2 on bad usage', () => {
    const run = flowlens(['parse', '--format', 'pcap']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--format must be one of');
  }, 60_000);
});
