import type { Endpoint, Flow } from '../flow/types';

/** An endpoint for tests: a `shop/frontend` Deployment unless overridden. */
export function makeEndpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  return { kind: 'workload', namespace: 'shop', name: 'frontend', workloadKind: 'Deployment', labels: {}, ...overrides };
}

export interface MakeFlowOverrides extends Partial<Omit<Flow, 'source' | 'destination'>> {
  source?: Partial<Endpoint>;
  destination?: Partial<Endpoint>;
}

/**
 * A canonical flow for tests: `shop/frontend` → `shop/checkout` TCP 8080, allowed, destination-reported,
 * one connection, at 2024-01-01T00:00:00Z for 10 s. Endpoint overrides are merged into the default endpoints.
 */
export function makeFlow(overrides: MakeFlowOverrides = {}): Flow {
  const { source, destination, ...rest } = overrides;
  return {
    clusterId: 'test-cluster',
    startMs: 1_704_067_200_000,
    endMs: 1_704_067_210_000,
    source: makeEndpoint(source),
    destination: makeEndpoint({ name: 'checkout', ...destination }),
    protocol: 'TCP',
    destinationPort: 8080,
    verdict: 'allowed',
    reporter: 'destination',
    policyTrace: [],
    bytesOut: 1200,
    bytesIn: 3400,
    packetsOut: 10,
    packetsIn: 12,
    connections: 1,
    format: 'native',
    ...rest,
  };
}
