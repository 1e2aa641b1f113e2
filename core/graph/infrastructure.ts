import type { GraphEdgeRow, GraphEndpointFacts } from './types';

const DNS_NAMES = /(^|-)(coredns|kube-dns|node-local-dns)($|-)/;

/**
 * Infrastructure noise an analyst usually hides: DNS lookups (port 53, or to CoreDNS/kube-dns in
 * kube-system) and monitoring scrapes (anything the `monitoring` namespace starts).
 */
export function isInfrastructureRow(row: Pick<GraphEdgeRow, 'source' | 'destination' | 'port'>): boolean {
  return row.port === 53 || isInfrastructureDestination(row.destination) || isInfrastructureSource(row.source);
}

/** The destination half of {@link isInfrastructureRow}: CoreDNS/kube-dns in kube-system. */
export function isInfrastructureDestination(destination: GraphEndpointFacts): boolean {
  return destination.namespace === 'kube-system' && DNS_NAMES.test(destination.name);
}

/** The source half of {@link isInfrastructureRow}: a scrape from the `monitoring` namespace. */
export function isInfrastructureSource(source: GraphEndpointFacts): boolean {
  return source.namespace === 'monitoring';
}
