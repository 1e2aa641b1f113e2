import type { Metadata } from 'next';
import { PoliciesSummaryView } from '@/components/policies/policies-summary-view';
import { ComingLater } from '@/components/ui/coming-later';
import { requireSession } from '@/lib/server/auth/require-session';
import { getPoliciesSummary } from '@/lib/server/policies/get-policies-summary';

export const metadata: Metadata = { title: 'Policies' };

/** `/policies` — coverage, what-if and recommendations (not built yet) with the deciding policies seen. */
export default async function PoliciesPage() {
  await requireSession({ nextPath: '/policies' });
  const summary = await getPoliciesSummary();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Policies</h1>
          <p>Which policies decide your traffic, and what a change would do.</p>
        </div>
      </div>
      <ComingLater feature="Policy coverage and what-if">
        Policy sets per cluster, the workloads no policy selects, replaying stored flows against a proposed policy set, and a
        least-privilege policy recommended from observed traffic.
      </ComingLater>
      <PoliciesSummaryView summary={summary} />
    </>
  );
}
