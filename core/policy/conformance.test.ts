import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifestDocuments } from '../inventory';
import { parseIpv4 } from '../inventory/parse-cidr';
import { computeConnlist } from './compute-connlist';
import { equalConnections, formatConnectionSet, noConnections, parseConnectionSet, unionConnections, type ConnectionSet } from './connection-set';

// Conformance against np-guard/netpol-analyzer golden connlists kept in ../shared (see its README).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const casesRoot = path.resolve(repoRoot, '../shared/conformance/netpol');
const available = existsSync(casesRoot);

function listManifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listManifestFiles(full));
    else if (/\.(ya?ml|json)$/i.test(entry)) out.push(full);
  }
  return out;
}

interface Line {
  readonly source: string;
  readonly destination: string;
  readonly connections: ConnectionSet;
}

function parseConnlistText(text: string): Line[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(' => '))
    .map((line) => {
      const match = /^(.*?) => (.*?) : (.*)$/.exec(line);
      if (!match) throw new Error(`unparsable connlist line: ${line}`);
      const parsed = parseConnectionSet(match[3] as string);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return { source: match[1] as string, destination: match[2] as string, connections: parsed.value };
    });
}

const EXTERNAL = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)\[External\]$/;

function externalRange(name: string): { start: number; end: number } | undefined {
  const match = EXTERNAL.exec(name);
  if (!match) return undefined;
  const start = parseIpv4(match[1] as string);
  const end = parseIpv4(match[2] as string);
  if (start === undefined || end === undefined) throw new Error(`bad external peer ${name}`);
  return { start, end };
}

/**
 * Canonical form for semantic comparison: internal pairs as `src => dst` → connections; lines with
 * an external side expanded per (direction, other peer) into elementary address intervals, so
 * different splits of the same address space compare equal.
 */
function canonical(lines: readonly Line[], cuts: ReadonlySet<number>): Map<string, string> {
  const out = new Map<string, ConnectionSet>();
  const externalByKey = new Map<string, Array<{ start: number; end: number; connections: ConnectionSet }>>();
  for (const line of lines) {
    const sourceRange = externalRange(line.source);
    const destinationRange = externalRange(line.destination);
    if (!sourceRange && !destinationRange) {
      const key = `${line.source} => ${line.destination}`;
      out.set(key, unionConnections(out.get(key) ?? noConnections(), line.connections));
      continue;
    }
    const key = sourceRange ? `[External] => ${line.destination}` : `${line.source} => [External]`;
    const range = (sourceRange ?? destinationRange) as { start: number; end: number };
    const list = externalByKey.get(key) ?? [];
    list.push({ ...range, connections: line.connections });
    externalByKey.set(key, list);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  for (const [key, list] of externalByKey) {
    starts.forEach((start, index) => {
      const end = (starts[index + 1] ?? 2 ** 32) - 1;
      const covering = list.filter((entry) => entry.start <= start && entry.end >= end);
      if (covering.length === 0) return;
      out.set(`${key} @${start}-${end}`, unionConnections(...covering.map((entry) => entry.connections)));
    });
  }
  const result = new Map<string, string>();
  for (const [key, connections] of out) {
    if (equalConnections(connections, noConnections())) continue;
    result.set(key, formatConnectionSet(connections));
  }
  return result;
}

function cutsOf(...groups: ReadonlyArray<readonly Line[]>): Set<number> {
  const cuts = new Set<number>([0]);
  for (const lines of groups) {
    for (const line of lines) {
      for (const name of [line.source, line.destination]) {
        const range = externalRange(name);
        if (!range) continue;
        cuts.add(range.start);
        if (range.end < 2 ** 32 - 1) cuts.add(range.end + 1);
      }
    }
  }
  return cuts;
}

const cases = available ? readdirSync(casesRoot).filter((name) => statSync(path.join(casesRoot, name)).isDirectory()).sort() : [];

(available ? describe : describe.skip)(
  available ? 'netpol-analyzer connlist conformance' : `netpol-analyzer connlist conformance (skipped: ${casesRoot} is absent)`,
  () => {
    it('has the ten cases', () => {
      expect(cases.length).toBe(10);
    });

    it.each(cases)('%s', (name) => {
      const caseDir = path.join(casesRoot, name);
      const files = listManifestFiles(path.join(caseDir, 'input')).map((file) => ({
        path: path.relative(caseDir, file),
        text: readFileSync(file, 'utf8'),
      }));
      const { inventory, errors } = loadManifestDocuments(files);
      expect(errors).toEqual([]);
      const connlist = computeConnlist(inventory);
      const expectedFile = readdirSync(path.join(caseDir, 'expected')).find((file) => file.endsWith('_connlist_output.txt'));
      expect(expectedFile).toBeDefined();
      const expected = parseConnlistText(readFileSync(path.join(caseDir, 'expected', expectedFile as string), 'utf8'));
      const actual = connlist.lines.map((line) => ({ source: line.source, destination: line.destination, connections: line.connections }));
      const cuts = cutsOf(expected, actual);
      const actualCanonical = Object.fromEntries([...canonical(actual, cuts)].sort());
      const expectedCanonical = Object.fromEntries([...canonical(expected, cuts)].sort());
      expect(actualCanonical).toEqual(expectedCanonical);
    });
  },
);
