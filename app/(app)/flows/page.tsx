import type { Metadata } from 'next';
import { FlowsSummaryView } from '@/components/flows/flows-summary-view';
import { ComingLater } from '@/components/ui/coming-later';
import { requireSession } from '@/lib/server/auth/require-session';
import { getFlowsSummary } from '@/lib/server/flows/get-flows-summary';

export const metadata: Metadata = { title: 'Flows' };

/** `/flows` — denied-flow investigation (not built yet) with last-hour denied figures. */
export default async function FlowsPage() {
  await requireSession({ nextPath: '/flows' });
  const summary = await getFlowsSummary();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Flows</h1>
          <p>Denied traffic, and the policy that denied it.</p>
        </div>
      </div>
      <ComingLater feature="The flow investigation view">
        Filter by workload, port and time; a time histogram; every denied flow with the policy (tier, name, rule) that denied
        it in words; the full record; CSV/NDJSON export and a live tail.
      </ComingLater>
      <FlowsSummaryView summary={summary} />
    </>
  );
}
