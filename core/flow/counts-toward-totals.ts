import type { Flow } from './types';

/**
 * Whether a flow's counters belong in totals (graph edge weights, rollups, posture counts).
 *
 * Calico (and Goldmane) report a connection from *both* ends when both are Calico workloads: the source's
 * Felix logs it with `reporter: src` (egress policy) and the destination's with `reporter: dst` (ingress
 * policy). Summing both doubles every pod-to-pod count. The destination's report is the one to keep: it
 * carries the ingress verdict, which is final for traffic the source allowed. So a *source-reported*,
 * *allowed* flow to a cluster workload or pod is skipped — the destination will report it too.
 * Everything else counts: denied source reports (the packet never reached the destination, so there is no
 * second report), traffic to hosts, network sets and external peers (nothing reports the far end), and
 * single-observer formats (Hubble, VPC: `reporter: observer`).
 *
 * The skipped record is still stored (its egress policy trace is evidence); only totals ignore it.
 */
export function countsTowardTotals(flow: Flow): boolean {
  const destinationReportsToo = flow.destination.kind === 'workload' || flow.destination.kind === 'pod';
  return !(flow.reporter === 'source' && flow.verdict === 'allowed' && destinationReportsToo);
}
