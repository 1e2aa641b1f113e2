import type { HubblePolicyMemory } from './hubble-policy-memory';
import type { Endpoint, Flow, L7Summary } from './types';

/** Default Hubble aggregation window. */
export const DEFAULT_HUBBLE_WINDOW_MS = 10_000;

export interface LinedFlow {
  flow: Flow;
  /** 1-based input line; for an aggregated window, the line of its first event. */
  line: number;
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.kind}\u0000${endpoint.namespace ?? ''}\u0000${endpoint.name}`;
}

/**
 * Folds single-event Hubble flows (from {@link parseHubble}, already oriented client → server) into
 * windowed flows keyed by (window, source, destination, port, protocol, verdict, drop reason, policy trace).
 *
 * Hubble reports packets, not flows, so:
 * - packets are events counted per direction (replies are `packetsIn`); bytes stay 0 — Hubble has none;
 * - connections are non-reply TCP SYN-without-ACK events, and for UDP/ICMP/SCTP one per key that saw a
 *   non-reply event (there is no handshake to count);
 * - the window is `[floor(t / windowMs) * windowMs, + windowMs)`, so consecutive batches line up;
 * - endpoint details that differ inside a window (pod, IP of a multi-pod workload) are dropped rather than
 *   picking one arbitrarily; L7 summaries and TCP flags are merged (first value of each field wins);
 * - only a connection's policy-verdict event names the policies (`*_allowed_by`, `*_denied_by`): the trace
 *   events of its other packets carry none, which is "not said", not "no policy applies". Events without
 *   policies join the window's group of the same endpoints, port, protocol and verdict that names one (the
 *   same workloads share labels, so the same policies decide them), and a group of such events takes the
 *   policies of the first verdict event that follows. Otherwise every connection would count twice, half
 *   of it as allowed by no policy.
 * Across windows and batches, a {@link HubblePolicyMemory} carries the decision on: a window of a conversation
 * that holds no new connection and names no policy continues connections decided earlier.
 * Output is ordered by first line.
 */
export function aggregateHubbleFlows(events: readonly LinedFlow[], windowMs: number = DEFAULT_HUBBLE_WINDOW_MS): LinedFlow[] {
  const aggregator = new HubbleWindowAggregator(windowMs);
  for (const { flow, line } of events) aggregator.add(flow, line, false);
  return aggregator.flows();
}

/**
 * Streaming form of {@link aggregateHubbleFlows}: `add` events one at a time so a batch never holds all of its
 * events at once (they die young; only one flow per window key survives), then read `flows()`.
 */
export class HubbleWindowAggregator {
  /** Groups that name policies, by window key and policies (a group that took them late is here too). */
  private readonly groups = new Map<string, LinedFlow>();
  /** Per key without policies: the first group of it that names policies. */
  private readonly decided = new Map<string, LinedFlow>();
  /** Per key without policies: the group of events that named none, before any that did. */
  private readonly undecided = new Map<string, LinedFlow>();
  /** Every group once, in the order of its first line. */
  private readonly ordered: LinedFlow[] = [];
  /** Per group of `ordered` (with a policy memory): its conversation, the window key with the cluster for the window. */
  private readonly conversations: string[] = [];

  constructor(
    private readonly windowMs: number = DEFAULT_HUBBLE_WINDOW_MS,
    private readonly memory?: HubblePolicyMemory,
  ) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  }

  /** `owned`: the caller hands the event over, so its objects may become the window's flow without a copy. */
  add(event: Flow, line: number, owned: boolean): void {
    const windowMs = this.windowMs;
    const windowStartMs = Math.floor(event.startMs / windowMs) * windowMs;
    let policies = '';
    for (const hit of event.policyTrace) policies += `${hit.kind}/${hit.namespace ?? ''}/${hit.name}/${hit.action};`;
    const base = `${windowStartMs}|${endpointKey(event.source)}|${endpointKey(event.destination)}|${event.destinationPort ?? ''}|${event.protocol}|${event.verdict}|${event.dropReason ?? ''}`;
    let group: LinedFlow | undefined;
    if (policies === '') {
      group = this.decided.get(base) ?? this.undecided.get(base);
      if (group === undefined) this.undecided.set(base, this.create(event, line, owned, windowStartMs, base));
    } else {
      const key = `${base}|${policies}`;
      group = this.groups.get(key);
      if (group === undefined) {
        const pending = this.decided.has(base) ? undefined : this.undecided.get(base);
        if (pending === undefined) {
          const created = this.create(event, line, owned, windowStartMs, base);
          this.groups.set(key, created);
          if (!this.decided.has(base)) this.decided.set(base, created);
          return;
        }
        // Events of this connection (or of the workloads' earlier ones) came before the verdict event.
        pending.flow.policyTrace = event.policyTrace;
        this.groups.set(key, pending);
        this.decided.set(base, pending);
        group = pending;
      }
    }
    if (group !== undefined) mergeEvent(group.flow, event);
  }

  /**
   * The windows so far, ordered by their first event's line. With a policy memory (read once per batch), the
   * windows that name policies are remembered, and a window that names none and starts no connection takes the
   * policies its conversation was last decided by.
   */
  flows(): LinedFlow[] {
    const memory = this.memory;
    if (memory !== undefined) {
      const byTime = [...this.ordered.keys()].sort((a, b) => (this.ordered[a] as LinedFlow).flow.startMs - (this.ordered[b] as LinedFlow).flow.startMs);
      for (const index of byTime) {
        const flow = (this.ordered[index] as LinedFlow).flow;
        const conversation = this.conversations[index] as string;
        if (flow.policyTrace.length > 0) memory.remember(conversation, flow.policyTrace, flow.endMs);
        else if (flow.connections === 0) {
          const trace = memory.recall(conversation, flow.endMs);
          if (trace !== undefined) flow.policyTrace = [...trace];
        }
      }
    }
    return [...this.ordered];
  }

  private create(event: Flow, line: number, owned: boolean, windowStartMs: number, base: string): LinedFlow {
    const windowMs = this.windowMs;
    const firstOfKeyConnection = event.protocol !== 'TCP' && event.packetsOut > 0 ? 1 : 0;
    let flow: Flow;
    if (owned) {
      flow = event;
      flow.startMs = windowStartMs;
      flow.endMs = windowStartMs + windowMs;
      flow.connections += firstOfKeyConnection;
    } else {
      flow = {
        ...event,
        startMs: windowStartMs,
        endMs: windowStartMs + windowMs,
        source: { ...event.source },
        destination: { ...event.destination },
        connections: event.connections + firstOfKeyConnection,
      };
      if (event.tcpFlags) flow.tcpFlags = [...event.tcpFlags];
      if (event.l7) flow.l7 = copyL7(event.l7);
    }
    const group = { flow, line };
    this.ordered.push(group);
    if (this.memory !== undefined) this.conversations.push(flow.clusterId + base.slice(base.indexOf('|')));
    return group;
  }
}

/** Adds one more event of the window's group to its flow. */
function mergeEvent(flow: Flow, event: Flow): void {
  const firstOfKeyConnection = event.protocol !== 'TCP' && event.packetsOut > 0 ? 1 : 0;
  flow.packetsOut += event.packetsOut;
  flow.packetsIn += event.packetsIn;
  flow.connections += event.connections;
  if (flow.protocol !== 'TCP' && flow.connections === 0) flow.connections = firstOfKeyConnection;
  if (flow.sourcePort !== event.sourcePort) flow.sourcePort = null;
  mergeEndpoint(flow.source, event.source);
  mergeEndpoint(flow.destination, event.destination);
  if (event.tcpFlags) {
    flow.tcpFlags ??= [];
    for (const tcpFlag of event.tcpFlags) if (!flow.tcpFlags.includes(tcpFlag)) flow.tcpFlags.push(tcpFlag);
  }
  if (event.l7) mergeL7(flow, event.l7);
}

function mergeEndpoint(into: Endpoint, other: Endpoint): void {
  if (into.pod !== undefined && into.pod !== other.pod) delete into.pod;
  if (into.ip !== undefined && into.ip !== other.ip) delete into.ip;
  if (into.domain === undefined && other.domain !== undefined) into.domain = other.domain;
  if (into.serviceName === undefined && other.serviceName !== undefined) into.serviceName = other.serviceName;
}

function copyL7(l7: L7Summary): L7Summary {
  const copy: L7Summary = {};
  if (l7.http) copy.http = { ...l7.http };
  if (l7.dns) copy.dns = { ...l7.dns };
  return copy;
}

/** Fills fields the window's summary lacks; no allocation in the common case (request and response seen). */
function mergeL7(flow: Flow, l7: L7Summary): void {
  const into = (flow.l7 ??= {});
  const http = l7.http;
  if (http) {
    const target = into.http;
    if (target === undefined) into.http = { ...http };
    else {
      if (target.method === undefined && http.method !== undefined) target.method = http.method;
      if (target.url === undefined && http.url !== undefined) target.url = http.url;
      if (target.code === undefined && http.code !== undefined) target.code = http.code;
      if (target.protocol === undefined && http.protocol !== undefined) target.protocol = http.protocol;
    }
  }
  const dns = l7.dns;
  if (dns) {
    const target = into.dns;
    if (target === undefined) into.dns = { ...dns };
    else {
      if (target.rcode === undefined && dns.rcode !== undefined) target.rcode = dns.rcode;
      if (target.ips === undefined && dns.ips !== undefined) target.ips = dns.ips;
      if (target.qtypes === undefined && dns.qtypes !== undefined) target.qtypes = dns.qtypes;
    }
  }
}
