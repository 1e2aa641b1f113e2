import { formatIpv4Range } from './external-ranges';
import type { Inventory } from '../inventory/types';
import { equalConnections, formatConnectionSet, isEmptyConnections, unionConnections, type ConnectionSet } from './connection-set';
import { computeConnectivity, type ComputeConnectivityOptions } from './compute-connectivity';
import { describeDecision } from './describe-decision';
import type { ConnectionVerdict } from './evaluate-connection';
import type { PolicyPeer } from './policy-peer';

export interface ConnlistLine {
  /** Peer names as netpol-analyzer prints them: `ns/name[Kind]`, `a.b.c.d-e.f.g.h[External]`, `{ingress-controller}`. */
  readonly source: string;
  readonly destination: string;
  readonly connections: ConnectionSet;
  /** `All Connections` or protocol groups such as `TCP 8080,9090,UDP 8080`. */
  readonly conn: string;
  /** Sentences saying which policy and rule decided each part of the connection space. */
  readonly explanation: readonly string[];
}

export interface Connlist {
  /** Allowed connectivity, one line per ordered pair with anything allowed, sorted. */
  readonly lines: readonly ConnlistLine[];
  /** Pairs with nothing allowed, with the reasons (for `--explain`). */
  readonly denied: readonly ConnlistLine[];
}

/** Groups a verdict's pieces by (allowed, egress reason, ingress reason) into sentences. */
export function explainVerdict(verdict: ConnectionVerdict): string[] {
  const groups = new Map<string, { allowed: boolean; text: string; connections: ConnectionSet[] }>();
  for (const piece of verdict.pieces) {
    const text = `${describeDecision(piece.egress)}; ${describeDecision(piece.ingress)}`;
    const key = `${piece.allowed}|${text}`;
    const group = groups.get(key) ?? { allowed: piece.allowed, text, connections: [] };
    group.connections.push(piece.connections);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => Number(b.allowed) - Number(a.allowed))
    .map((group) => `${group.allowed ? 'allowed' : 'denied'} ${formatConnectionSet(unionConnections(...group.connections))}: ${group.text}`);
}

interface Draft {
  source: PolicyPeer;
  destination: PolicyPeer;
  connections: ConnectionSet;
  explanation: string[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Merges consecutive external ranges towards the same workload when both the allowed connections
 * and the reasons are the same, so unaffected address space prints as one line.
 */
function mergeExternal(drafts: Draft[]): ConnlistLine[] {
  const byKey = new Map<string, Draft[]>();
  const lines: ConnlistLine[] = [];
  for (const draft of drafts) {
    const external = draft.source.kind === 'external' ? 'source' : draft.destination.kind === 'external' ? 'destination' : undefined;
    if (!external) {
      lines.push(toLine(draft, draft.source.name, draft.destination.name));
      continue;
    }
    const other = external === 'source' ? draft.destination.name : draft.source.name;
    const key = `${external}|${other}`;
    const list = byKey.get(key) ?? [];
    list.push(draft);
    byKey.set(key, list);
  }
  for (const [key, list] of byKey) {
    const externalSide = key.startsWith('source|') ? 'source' : 'destination';
    const rangeOf = (draft: Draft) => {
      const peer = externalSide === 'source' ? draft.source : draft.destination;
      return peer.kind === 'external' ? peer.range : undefined;
    };
    list.sort((a, b) => (rangeOf(a)?.start ?? 0) - (rangeOf(b)?.start ?? 0));
    let current: { draft: Draft; start: number; end: number } | undefined;
    const flush = (): void => {
      if (!current) return;
      const name = `${formatIpv4Range({ start: current.start, end: current.end })}[External]`;
      const { draft } = current;
      lines.push(toLine(draft, externalSide === 'source' ? name : draft.source.name, externalSide === 'destination' ? name : draft.destination.name));
      current = undefined;
    };
    for (const draft of list) {
      const range = rangeOf(draft);
      if (!range) continue;
      if (
        current &&
        current.end + 1 === range.start &&
        equalConnections(current.draft.connections, draft.connections) &&
        current.draft.explanation.join('\n') === draft.explanation.join('\n')
      ) {
        current.end = range.end;
        continue;
      }
      flush();
      current = { draft, start: range.start, end: range.end };
    }
    flush();
  }
  return lines.sort((a, b) => compareText(a.source, b.source) || compareText(a.destination, b.destination));
}

function toLine(draft: Draft, source: string, destination: string): ConnlistLine {
  return { source, destination, connections: draft.connections, conn: formatConnectionSet(draft.connections), explanation: draft.explanation };
}

/**
 * The connlist of an inventory, in netpol-analyzer's form: one line per ordered pair (workloads,
 * external ranges, `{ingress-controller}`) with anything allowed. A workload's traffic to itself is
 * not listed.
 */
export function computeConnlist(inventory: Inventory, options: ComputeConnectivityOptions = {}): Connlist {
  const { verdicts } = computeConnectivity(inventory, options);
  const allowed: Draft[] = [];
  const denied: Draft[] = [];
  for (const verdict of verdicts) {
    const draft = { source: verdict.source, destination: verdict.destination, connections: verdict.allowed, explanation: explainVerdict(verdict) };
    (isEmptyConnections(verdict.allowed) ? denied : allowed).push(draft);
  }
  return { lines: mergeExternal(allowed), denied: mergeExternal(denied) };
}

/** `SRC => DST : CONN` lines, sorted, newline-terminated (empty string when nothing is allowed). */
export function formatConnlistText(connlist: Connlist, options: { explain?: boolean } = {}): string {
  const out: string[] = [];
  for (const line of connlist.lines) {
    out.push(`${line.source} => ${line.destination} : ${line.conn}`);
    if (options.explain) for (const sentence of line.explanation) out.push(`    ${sentence}`);
  }
  if (options.explain && connlist.denied.length > 0) {
    out.push('', 'Denied (no connection allowed):');
    for (const line of connlist.denied) {
      out.push(`${line.source} => ${line.destination}`);
      for (const sentence of line.explanation) out.push(`    ${sentence}`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** netpol-analyzer's JSON form: `[{ src, dst, conn }]`, plus `explanation` when asked. */
export function formatConnlistJson(connlist: Connlist, options: { explain?: boolean } = {}): string {
  const rows = connlist.lines.map((line) => ({
    src: line.source,
    dst: line.destination,
    conn: line.conn,
    ...(options.explain ? { explanation: line.explanation } : {}),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}
