/**
 * What happens on the simulated platform in a window of time: RAG request chains, payments, Prometheus
 * scrapes, DNS, model pulls, and — from three days before the run's start — a compromised chat-ui replica
 * probing the databases and sending data to an unknown address. Pure: time comes in as arguments and
 * every random draw comes from a stream keyed by (seed, cluster, window), so a window's connections do
 * not depend on which windows were generated before it.
 */
import { createPrng, type Prng } from './prng';
import {
  decide,
  workloadKey,
  type ExternalPeer,
  type PodInfo,
  type PolicyDecision,
  type SimEndpoint,
  type Topology,
  type TransportProtocol,
} from './topology';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type ActivityKind = 'rag' | 'payments' | 'scrape' | 'dns' | 'model-pull' | 'probe' | 'exfiltration';

export type SimL7 =
  | { kind: 'dns'; query: string; ips: string[]; rcode: number; qtype: 'A' | 'AAAA' }
  | { kind: 'http'; method: string; url: string; code: number; latencyMs: number };

export interface SimService {
  namespace: string;
  name: string;
  portName: string;
  port: number;
}

/** One simulated connection; byte and packet counts are from the source's point of view. */
export interface SimConnection {
  startMs: number;
  durationMs: number;
  source: SimEndpoint;
  destination: SimEndpoint;
  service?: SimService;
  protocol: TransportProtocol;
  sourcePort: number;
  destinationPort: number;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  /** Policy verdict on the source's egress (absent when the source is outside the cluster). */
  egress?: PolicyDecision;
  /** Policy verdict on the destination's ingress (absent when the destination is outside the cluster). */
  ingress?: PolicyDecision;
  verdict: 'allowed' | 'denied';
  l7?: SimL7;
  activity: ActivityKind;
  /** Scheduled story events are never thinned or scaled by the record budget. */
  scheduled: boolean;
}

/** Fixed points of the story, relative to the run's start (the "anchor"), so a replay tells the same story. */
export interface Timeline {
  seed: string;
  anchorMs: number;
  compromiseStartMs: number;
  exfiltrationStartMs: number;
  /** Hours after midnight UTC when the seed's traffic peaks. */
  peakHourUtc: number;
  /** Minute of the day (UTC) of the nightly vLLM rollout that re-downloads model weights. */
  rolloutMinuteUtc: number;
}

export function buildTimeline(seed: string, anchorMs: number): Timeline {
  const prng = createPrng(seed, 'timeline');
  const compromiseStartMs = anchorMs - 3 * DAY_MS + prng.int(0, 4 * HOUR_MS);
  return {
    seed,
    anchorMs,
    compromiseStartMs,
    exfiltrationStartMs: compromiseStartMs + prng.int(6 * HOUR_MS, 12 * HOUR_MS),
    peakHourUtc: 13 + prng.next() * 4,
    rolloutMinuteUtc: prng.int(60, 240),
  };
}

/** 1970-01-01 was a Thursday; with Sunday = 0 that is day 4. */
function dayOfWeek(timeMs: number): number {
  return (Math.floor(timeMs / DAY_MS) + 4) % 7;
}

/** Weekly mean of the unnormalised curve below (weekdays 1, weekends 0.7), so the factor averages 1. */
const WEEKLY_MEAN = (5 + 2 * 0.7) / 7;

/**
 * Traffic multiplier at a moment: a daily wave peaking in the seed's afternoon (0.35× at night,
 * 1.65× at the peak), quieter weekends; averages 1 over a week.
 */
export function diurnalFactor(timeline: Timeline, timeMs: number): number {
  const hour = (timeMs % DAY_MS) / HOUR_MS;
  const wave = 1 + 0.65 * Math.cos((2 * Math.PI * (hour - timeline.peakHourUtc)) / 24);
  const weekend = dayOfWeek(timeMs) === 0 || dayOfWeek(timeMs) === 6 ? 0.7 : 1;
  return (wave * weekend) / WEEKLY_MEAN;
}

const EPHEMERAL_MIN = 32768;
const EPHEMERAL_MAX = 60999;

function packetsFor(bytes: number, protocol: TransportProtocol): number {
  if (bytes <= 0) return 0;
  const segments = Math.ceil(bytes / 1400);
  return protocol === 'TCP' ? segments + 2 : segments;
}

interface ConnectOptions {
  startMs: number;
  durationMs: number;
  bytesOut: number;
  bytesIn: number;
  protocol?: TransportProtocol;
  l7?: SimL7;
  activity: ActivityKind;
  scheduled?: boolean;
  sourcePort?: number;
}

/** A connection that follows the platform's policies: a denied one carries SYNs only. */
function connect(topology: Topology, prng: Prng, source: SimEndpoint, destination: SimEndpoint, destinationPort: number, options: ConnectOptions): SimConnection {
  const protocol = options.protocol ?? 'TCP';
  const egress = source.kind === 'pod' ? decide(topology, source.pod, 'Egress', destination, destinationPort, protocol) : undefined;
  const ingress = destination.kind === 'pod' ? decide(topology, destination.pod, 'Ingress', source, destinationPort, protocol) : undefined;
  const denied = egress?.action === 'deny' || ingress?.action === 'deny';
  const bytesOut = denied ? 60 * prng.int(1, 3) : Math.max(40, Math.round(options.bytesOut));
  const bytesIn = denied ? 0 : Math.max(0, Math.round(options.bytesIn));
  const connection: SimConnection = {
    startMs: options.startMs,
    durationMs: denied ? 0 : Math.max(1, Math.round(options.durationMs)),
    source,
    destination,
    protocol,
    sourcePort: options.sourcePort ?? prng.int(EPHEMERAL_MIN, EPHEMERAL_MAX),
    destinationPort,
    bytesOut,
    bytesIn,
    packetsOut: denied ? Math.round(bytesOut / 60) : packetsFor(bytesOut, protocol),
    packetsIn: packetsFor(bytesIn, protocol),
    verdict: denied ? 'denied' : 'allowed',
    activity: options.activity,
    scheduled: options.scheduled ?? false,
  };
  if (egress) connection.egress = egress;
  if (ingress) connection.ingress = ingress;
  if (options.l7 && !denied) connection.l7 = options.l7;
  if (destination.kind === 'pod') {
    const service = topology.servicesByWorkload.get(workloadKey(destination.pod.namespace, destination.pod.workload.name));
    const servicePort = service?.ports.find((p) => p.targetPort === destinationPort && p.protocol === protocol);
    if (service && servicePort) connection.service = { namespace: service.namespace, name: service.name, portName: servicePort.name, port: servicePort.port };
  }
  return connection;
}

function podsOf(topology: Topology, namespace: string, name: string): PodInfo[] {
  const pods = topology.podsByWorkload.get(workloadKey(namespace, name));
  if (!pods || pods.length === 0) throw new Error(`no pods for ${namespace}/${name}`);
  return pods;
}

const asPod = (pod: PodInfo): SimEndpoint => ({ kind: 'pod', pod });
const asExternal = (peer: ExternalPeer): SimEndpoint => ({ kind: 'external', peer });

/** Generates the connections of one window; `at()` draws a start time inside it. */
class WindowBuilder {
  readonly out: SimConnection[] = [];
  constructor(
    readonly topology: Topology,
    readonly prng: Prng,
    readonly windowStartMs: number,
    readonly windowMs: number,
  ) {}

  at(): number {
    return this.windowStartMs + Math.floor(this.prng.next() * this.windowMs);
  }

  pod(namespace: string, name: string): SimEndpoint {
    return asPod(this.prng.pick(podsOf(this.topology, namespace, name)));
  }

  add(source: SimEndpoint, destination: SimEndpoint, port: number, options: ConnectOptions): SimConnection {
    const connection = connect(this.topology, this.prng, source, destination, port, options);
    this.out.push(connection);
    return connection;
  }

  dns(source: SimEndpoint, startMs: number, query: string, ips: string[], scheduled = false): void {
    this.add(source, this.pod('kube-system', 'coredns'), 53, {
      startMs, durationMs: this.prng.int(1, 4), protocol: 'UDP', bytesOut: 70 + query.length, bytesIn: 90 + query.length + 16 * ips.length,
      l7: { kind: 'dns', query: `${query}.`, ips, rcode: 0, qtype: 'A' }, activity: 'dns', scheduled,
    });
  }

  serviceIp(namespace: string, name: string): string[] {
    const service = this.topology.servicesByWorkload.get(workloadKey(namespace, name));
    return service ? [service.clusterIp] : [];
  }
}

/** One chat request end to end: internet → ingress → chat-ui → rag-api → embed → qdrant → rerank → vLLM (+ PII reads, OpenAI). */
function ragRequest(b: WindowBuilder): void {
  const { prng } = b;
  let t = b.at();
  const client = asExternal({ ip: clientIp(b) });
  const ingress = b.pod('ingress-nginx', 'ingress-nginx-controller');
  const chatUi = b.pod('chat', 'chat-ui');
  const ragApi = b.pod('chat', 'rag-api');
  const totalMs = prng.logNormal(2400, 0.5);
  const answerBytes = prng.logNormal(6000, 0.7);
  b.add(client, ingress, 443, { startMs: t, durationMs: totalMs + 40, bytesOut: prng.logNormal(2600, 0.5), bytesIn: answerBytes * 2.5, activity: 'rag' });
  t += prng.int(1, 4);
  b.add(ingress, chatUi, 8080, { startMs: t, durationMs: totalMs + 20, bytesOut: prng.logNormal(2200, 0.5), bytesIn: answerBytes * 2.2, activity: 'rag' });
  t += prng.int(2, 8);
  b.add(chatUi, ragApi, 8000, {
    startMs: t, durationMs: totalMs, bytesOut: prng.logNormal(1800, 0.4), bytesIn: answerBytes * 1.4, activity: 'rag',
    l7: { kind: 'http', method: 'POST', url: 'http://rag-api.chat.svc.cluster.local:8000/v1/chat/completions', code: prng.chance(0.985) ? 200 : 503, latencyMs: totalMs },
  });
  t += prng.int(2, 6);
  if (prng.chance(0.15)) {
    b.dns(ragApi, t, 'tei-embed.llm.svc.cluster.local', b.serviceIp('llm', 'tei-embed'));
    t += 2;
  }
  b.add(ragApi, b.pod('llm', 'tei-embed'), 80, { startMs: t, durationMs: prng.logNormal(25, 0.4), bytesOut: prng.logNormal(1200, 0.4), bytesIn: prng.logNormal(6800, 0.1), activity: 'rag' });
  t += prng.int(20, 60);
  if (prng.chance(0.15)) {
    b.dns(ragApi, t, 'qdrant.vectordb.svc.cluster.local', b.serviceIp('vectordb', 'qdrant'));
    t += 2;
  }
  b.add(ragApi, b.pod('vectordb', 'qdrant'), prng.chance(0.7) ? 6333 : 6334, { startMs: t, durationMs: prng.logNormal(12, 0.5), bytesOut: prng.logNormal(6900, 0.2), bytesIn: prng.logNormal(24000, 0.5), activity: 'rag' });
  t += prng.int(8, 30);
  if (prng.chance(0.35)) {
    b.add(ragApi, b.pod('data', 'postgres'), 5432, { startMs: t, durationMs: prng.logNormal(8, 0.5), bytesOut: prng.logNormal(900, 0.4), bytesIn: prng.logNormal(12000, 0.8), activity: 'rag' });
    t += prng.int(5, 15);
  }
  if (prng.chance(0.2)) {
    b.add(ragApi, b.pod('data', 'minio'), 9000, { startMs: t, durationMs: prng.logNormal(40, 0.5), bytesOut: prng.logNormal(650, 0.3), bytesIn: prng.logNormal(180000, 0.9), activity: 'rag' });
    t += prng.int(20, 60);
  }
  b.add(ragApi, b.pod('llm', 'tei-rerank'), 80, { startMs: t, durationMs: prng.logNormal(60, 0.4), bytesOut: prng.logNormal(14000, 0.4), bytesIn: prng.logNormal(900, 0.2), activity: 'rag' });
  t += prng.int(40, 90);
  if (prng.chance(0.25)) {
    // Some answers go to OpenAI instead of the local model (fallback / larger context).
    if (prng.chance(0.4)) {
      b.dns(ragApi, t, 'api.openai.com', b.topology.openAi.map((peer) => peer.ip));
      t += prng.int(3, 20);
    }
    b.add(ragApi, asExternal(prng.pick(b.topology.openAi)), 443, { startMs: t, durationMs: prng.logNormal(1800, 0.5), bytesOut: prng.logNormal(7000, 0.5), bytesIn: answerBytes * 1.2, activity: 'rag' });
  } else {
    b.add(ragApi, b.pod('llm', 'vllm'), 8000, { startMs: t, durationMs: prng.logNormal(1500, 0.5), bytesOut: prng.logNormal(9000, 0.5), bytesIn: answerBytes, activity: 'rag' });
  }
}

/** Internet clients follow a long tail: a few heavy users, many occasional ones. */
function clientIp(b: WindowBuilder): string {
  const pool = b.topology.internetClients;
  const index = Math.min(pool.length - 1, Math.floor(pool.length * Math.pow(b.prng.next(), 2.2)));
  return pool[index] ?? pool[0] ?? '198.51.100.7';
}

function paymentsRequest(b: WindowBuilder): void {
  const { prng } = b;
  let t = b.at();
  const ingress = b.pod('ingress-nginx', 'ingress-nginx-controller');
  const api = b.pod('payments', 'payments-api');
  b.add(asExternal({ ip: clientIp(b) }), ingress, 443, { startMs: t, durationMs: prng.logNormal(180, 0.4), bytesOut: prng.logNormal(1700, 0.3), bytesIn: prng.logNormal(900, 0.3), activity: 'payments' });
  t += prng.int(1, 4);
  b.add(ingress, api, 8080, { startMs: t, durationMs: prng.logNormal(160, 0.4), bytesOut: prng.logNormal(1500, 0.3), bytesIn: prng.logNormal(800, 0.3), activity: 'payments' });
  t += prng.int(2, 10);
  b.add(api, b.pod('payments', 'payments-db'), 5432, { startMs: t, durationMs: prng.logNormal(20, 0.5), bytesOut: prng.logNormal(700, 0.3), bytesIn: prng.logNormal(2500, 0.6), activity: 'payments' });
}

function scrape(b: WindowBuilder): void {
  const { prng } = b;
  const target = prng.pick(b.topology.pods);
  const prometheus = b.pod('monitoring', 'prometheus');
  const metricsBytes = target.workload.name === 'vllm' ? 95_000 : target.workload.name === 'prometheus' ? 160_000 : 38_000;
  const port = target.workload.metricsPort;
  b.add(prometheus, asPod(target), port, {
    startMs: b.at(), durationMs: prng.logNormal(35, 0.5), bytesOut: prng.logNormal(380, 0.1), bytesIn: prng.logNormal(metricsBytes, 0.2), activity: 'scrape',
    l7: { kind: 'http', method: 'GET', url: `http://${target.ip}:${port}/metrics`, code: 200, latencyMs: prng.logNormal(35, 0.5) },
  });
}

/** Lookups not tied to a request chain: resolver refreshes of the names each workload depends on. */
function backgroundDns(b: WindowBuilder): void {
  const { prng } = b;
  const pod = prng.pick(b.topology.pods);
  const lookups: Record<string, [string, string[]][]> = {
    'rag-api': [
      ['api.openai.com', b.topology.openAi.map((peer) => peer.ip)],
      ['postgres.data.svc.cluster.local', b.serviceIp('data', 'postgres')],
      ['minio.data.svc.cluster.local', b.serviceIp('data', 'minio')],
      ['vllm.llm.svc.cluster.local', b.serviceIp('llm', 'vllm')],
    ],
    'chat-ui': [['rag-api.chat.svc.cluster.local', b.serviceIp('chat', 'rag-api')]],
    'payments-api': [['payments-db.payments.svc.cluster.local', b.serviceIp('payments', 'payments-db')]],
    vllm: [['huggingface.co', b.topology.huggingFace.map((peer) => peer.ip)]],
  };
  const choices = lookups[pod.workload.name];
  if (!choices || pod.workload.name === 'coredns') return;
  const [query, ips] = prng.pick(choices);
  b.dns(asPod(pod), b.at(), query, ips);
}

/** vLLM checks the hub for a newer model revision now and then (HEAD requests, small bytes). */
function modelCheck(b: WindowBuilder): void {
  const { prng } = b;
  const vllm = b.pod('llm', 'vllm');
  const t = b.at();
  b.dns(vllm, t, 'huggingface.co', b.topology.huggingFace.map((peer) => peer.ip));
  b.add(vllm, asExternal(prng.pick(b.topology.huggingFace)), 443, { startMs: t + prng.int(5, 30), durationMs: prng.logNormal(300, 0.4), bytesOut: prng.logNormal(2500, 0.3), bytesIn: prng.logNormal(9000, 0.3), activity: 'model-pull' });
}

const ACTIVITIES: { weight: number; run: (b: WindowBuilder) => void }[] = [
  { weight: 46, run: ragRequest },
  { weight: 11, run: paymentsRequest },
  { weight: 24, run: scrape },
  { weight: 18, run: backgroundDns },
  { weight: 1, run: modelCheck },
];
const ACTIVITY_WEIGHTS = ACTIVITIES.map((activity) => activity.weight);

/** Start times of a Poisson process with the given mean interval inside the window (keyed draws). */
function poissonTimes(prng: Prng, windowStartMs: number, windowMs: number, meanIntervalMs: number, notBeforeMs: number): number[] {
  const times: number[] = [];
  let t = windowStartMs + prng.exponential(meanIntervalMs);
  while (t < windowStartMs + windowMs) {
    if (t >= notBeforeMs) times.push(Math.floor(t));
    t += prng.exponential(meanIntervalMs);
  }
  return times;
}

export const PROBE_INTERVAL_MS = 2 * MINUTE_MS;
export const EXFILTRATION_INTERVAL_MS = 10 * MINUTE_MS;

/** The story's events in this window: probes, exfiltration and the nightly model rollout. Independent of the record budget. */
export function scheduledConnections(topology: Topology, timeline: Timeline, windowStartMs: number, windowMs: number): SimConnection[] {
  const b = new WindowBuilder(topology, createPrng(timeline.seed, topology.cluster, 'scheduled', windowStartMs, windowMs), windowStartMs, windowMs);
  const { prng } = b;
  const attacker = asPod(topology.compromisedPod);
  const targets = [podsOf(topology, 'payments', 'payments-db'), podsOf(topology, 'data', 'postgres')];
  for (const target of targets) {
    for (const t of poissonTimes(prng, windowStartMs, windowMs, PROBE_INTERVAL_MS, timeline.compromiseStartMs)) {
      b.add(attacker, asPod(prng.pick(target)), 5432, { startMs: t, durationMs: 0, bytesOut: 60, bytesIn: 0, activity: 'probe', scheduled: true });
    }
  }
  for (const t of poissonTimes(prng, windowStartMs, windowMs, EXFILTRATION_INTERVAL_MS, timeline.exfiltrationStartMs)) {
    b.add(attacker, asExternal(topology.exfiltrationPeer), 443, {
      startMs: t, durationMs: prng.logNormal(40_000, 0.4), bytesOut: prng.logNormal(25_000_000, 0.5), bytesIn: prng.logNormal(4200, 0.3), activity: 'exfiltration', scheduled: true,
    });
  }
  // Nightly rollout: each vLLM replica re-downloads the model weights (~16 GB) from huggingface.co.
  const dayStartMs = Math.floor(windowStartMs / DAY_MS) * DAY_MS;
  for (const dayMs of [dayStartMs, dayStartMs + DAY_MS]) {
    const rolloutMs = dayMs + timeline.rolloutMinuteUtc * MINUTE_MS;
    if (rolloutMs < windowStartMs || rolloutMs >= windowStartMs + windowMs) continue;
    podsOf(topology, 'llm', 'vllm').forEach((pod, index) => {
      const t = rolloutMs + index * 90_000;
      if (t >= windowStartMs + windowMs) return;
      b.dns(asPod(pod), t, 'huggingface.co', topology.huggingFace.map((peer) => peer.ip), true);
      b.add(asPod(pod), asExternal(prng.pick(topology.huggingFace)), 443, {
        startMs: t + 15, durationMs: prng.logNormal(240_000, 0.2), bytesOut: prng.logNormal(900_000, 0.2), bytesIn: 16_060_000_000, activity: 'model-pull', scheduled: true,
      });
    });
  }
  return b.out.sort((x, y) => x.startMs - y.startMs);
}

/**
 * Background traffic for the window as an endless deterministic stream, one activity (often several
 * connections) per step; the caller stops when it has produced enough records for its budget.
 */
export function* backgroundConnections(topology: Topology, timeline: Timeline, windowStartMs: number, windowMs: number): Generator<SimConnection[], never, undefined> {
  const b = new WindowBuilder(topology, createPrng(timeline.seed, topology.cluster, 'background', windowStartMs, windowMs), windowStartMs, windowMs);
  for (;;) {
    b.out.length = 0;
    const activity = ACTIVITIES[b.prng.weightedIndex(ACTIVITY_WEIGHTS)];
    activity?.run(b);
    yield b.out.slice();
  }
}
