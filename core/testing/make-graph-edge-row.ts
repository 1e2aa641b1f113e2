import type { GraphEdgeRow, GraphEndpointFacts } from '../graph/types';

/** Endpoint facts for graph tests: the `shop/frontend` Deployment unless overridden. */
export function makeGraphEndpoint(overrides: Partial<GraphEndpointFacts> = {}): GraphEndpointFacts {
  return {
    kind: 'workload',
    namespace: 'shop',
    name: 'frontend',
    workloadKind: 'Deployment',
    pod: null,
    ip: null,
    domain: null,
    serviceName: null,
    ...overrides,
  };
}

export interface MakeGraphEdgeRowOverrides extends Partial<Omit<GraphEdgeRow, 'source' | 'destination'>> {
  source?: Partial<GraphEndpointFacts>;
  destination?: Partial<GraphEndpointFacts>;
}

/**
 * A rollup edge row for graph tests: `shop/frontend` → `shop/checkout` TCP 8080 in `test-cluster`, allowed
 * by NetworkPolicy `shop/allow-frontend` rule 0, 10 flows. Endpoint overrides merge into the defaults.
 */
export function makeGraphEdgeRow(overrides: MakeGraphEdgeRowOverrides = {}): GraphEdgeRow {
  const { source, destination, ...rest } = overrides;
  return {
    cluster: 'test-cluster',
    source: makeGraphEndpoint(source),
    destination: makeGraphEndpoint({ name: 'checkout', ...destination }),
    port: 8080,
    protocol: 'TCP',
    verdict: 'allowed',
    policyKey: 'NetworkPolicy||shop|allow-frontend|allow|0',
    pendingVerdict: '',
    flows: 10,
    connections: 10,
    bytesOut: 1000,
    bytesIn: 5000,
    packetsOut: 20,
    packetsIn: 30,
    lastSeenMs: 1_704_067_200_000,
    ...rest,
  };
}
