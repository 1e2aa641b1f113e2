/**
 * One cluster's records for one window, in its wire format, sized to a record budget. The budget
 * (records per window at the weekly mean, shaped by the diurnal curve) is what `--rate` controls;
 * the story's scheduled events (probes, exfiltration, rollouts) are always included on top of it.
 * Pure: same topology, timeline and window ⇒ the same lines.
 */
import { CalicoWindowAggregator } from './calico-lines';
import { hubbleEventsForConnection, hubbleLines, type HubbleEvent } from './hubble-events';
import { createPrng } from './prng';
import { backgroundConnections, diurnalFactor, scheduledConnections, type SimConnection, type Timeline } from './scenario';
import { CLUSTER_FLOW_FORMAT, type Topology } from './topology';

/** Real connections per second per cluster at the weekly mean; Calico counters are scaled to it. */
export const REAL_CONNECTIONS_PER_SEC = 140;

export interface WindowRecordsOptions {
  topology: Topology;
  timeline: Timeline;
  windowStartMs: number;
  windowMs: number;
  /** Records (lines) this window should hold at the weekly-mean traffic level, before the diurnal curve. */
  meanRecordsPerWindow: number;
}

export interface WindowRecords {
  lines: string[];
  /** Simulated connections behind the lines (background + scheduled). */
  connections: number;
  budget: number;
}

/** The record budget of a window: the mean shaped by the time of day, with ±10 % deterministic noise. */
export function windowBudget(options: WindowRecordsOptions): number {
  const { timeline, topology, windowStartMs, windowMs } = options;
  const noise = 0.9 + 0.2 * createPrng(timeline.seed, topology.cluster, 'budget', windowStartMs, windowMs).next();
  const expected = options.meanRecordsPerWindow * diurnalFactor(timeline, windowStartMs + windowMs / 2) * noise;
  // Small budgets (1-s live windows) round stochastically so the long-run rate stays right.
  const whole = Math.floor(expected);
  const fraction = expected - whole;
  return whole + (createPrng(timeline.seed, topology.cluster, 'budget-round', windowStartMs).next() < fraction ? 1 : 0);
}

/** Background steps allowed per budgeted record before giving up (Calico's key space can saturate). */
const MAX_STEPS_PER_RECORD = 40;

export function windowRecords(options: WindowRecordsOptions): WindowRecords {
  return CLUSTER_FLOW_FORMAT[options.topology.cluster] === 'calico' ? calicoWindow(options) : hubbleWindow(options);
}

function calicoWindow(options: WindowRecordsOptions): WindowRecords {
  const { topology, timeline, windowStartMs, windowMs } = options;
  const budget = windowBudget(options);
  const aggregator = new CalicoWindowAggregator();
  const scheduled = scheduledConnections(topology, timeline, windowStartMs, windowMs);
  for (const connection of scheduled) aggregator.add(connection);
  // Lines are counted over background traffic alone, so the story's lines ride on top of the budget.
  const backgroundOnly = new CalicoWindowAggregator();
  const background: SimConnection[] = [];
  const stream = backgroundConnections(topology, timeline, windowStartMs, windowMs);
  const maxSteps = MAX_STEPS_PER_RECORD * budget + 10;
  steps: for (let step = 0; step < maxSteps; step++) {
    for (const connection of stream.next().value) {
      if (backgroundOnly.size >= budget) break steps;
      backgroundOnly.add(connection);
      background.push(connection);
    }
  }
  // Each simulated connection stands for this many real ones, so bytes and flow counts follow the
  // diurnal volume even when the line budget, not the traffic, limits how many we simulate.
  const realConnections = REAL_CONNECTIONS_PER_SEC * (windowMs / 1000) * diurnalFactor(timeline, windowStartMs + windowMs / 2);
  const weight = background.length === 0 ? 1 : Math.max(1, realConnections / background.length);
  for (const connection of background) aggregator.add(connection, weight);
  return { lines: aggregator.lines(windowStartMs, windowStartMs + windowMs), connections: scheduled.length + background.length, budget };
}

function hubbleWindow(options: WindowRecordsOptions): WindowRecords {
  const { topology, timeline, windowStartMs, windowMs } = options;
  const budget = windowBudget(options);
  const windowEndMs = windowStartMs + windowMs;
  const prng = createPrng(timeline.seed, topology.cluster, 'hubble-events', windowStartMs, windowMs);
  const events: HubbleEvent[] = [];
  const scheduled = scheduledConnections(topology, timeline, windowStartMs, windowMs);
  for (const connection of scheduled) events.push(...hubbleEventsForConnection(topology, connection, windowEndMs, prng));
  let backgroundEvents = 0;
  let connections = scheduled.length;
  const stream = backgroundConnections(topology, timeline, windowStartMs, windowMs);
  const maxSteps = MAX_STEPS_PER_RECORD * budget + 10;
  steps: for (let step = 0; step < maxSteps; step++) {
    for (const connection of stream.next().value) {
      const produced = hubbleEventsForConnection(topology, connection, windowEndMs, prng);
      // Take a connection while its midpoint fits: overshoot and undershoot cancel over many windows.
      if (backgroundEvents + produced.length / 2 > budget) break steps;
      events.push(...produced);
      backgroundEvents += produced.length;
      connections++;
    }
  }
  return { lines: hubbleLines(events), connections, budget };
}
