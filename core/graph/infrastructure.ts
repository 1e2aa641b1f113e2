import type { GraphEdgeRow } from './types';

const DNS_NAMES = /(^|-)(coredns|kube-dns|node-local-dns)($|-)/;

/**
 * Infrastructure noise an analyst usually hides: DNS lookups (port 53, or to CoreDNS/kube-dns in
 * kube-system) and monitoring scrapes (anything the `monitoring` namespace starts).
 */
export function isInfrastructureRow(row: Pick<GraphEdgeRow, 'source' | 'destination' | 'port'>): boolean {
  const destination = row.destination;
  if (row.port === 53) return true;
  if (destination.namespace === 'kube-system' && DNS_NAMES.test(destination.name)) return true;
  return row.source.namespace === 'monitoring';
}
