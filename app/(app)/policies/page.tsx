import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PoliciesView } from '@/components/policies/policies-view';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { listPolicyClusterNames } from '@/lib/server/policies/policy-cluster';

export const metadata: Metadata = { title: 'Policies' };

/**
 * `/policies` — per cluster: coverage of the latest inventory's policies, the explanation of one observed edge
 * (`?src=ns/name&dst=ns/name&port=&protocol=`, linked from the graph and the flow explorer), what-if replay of stored
 * traffic against a proposed policy set, and least-privilege recommendations. The view's state is the URL.
 */
export default async function PoliciesPage() {
  const session = await requireSession({ nextPath: '/policies' });
  const clusters = await listPolicyClusterNames(await getDataScope(session));
  const canAnalyse = session.user.role === 'analyst' || session.user.role === 'admin';
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Policies</h1>
          <p>Which workloads your policies protect, why an edge is allowed or denied, and what a change would break.</p>
        </div>
      </div>
      <Suspense fallback={<p className="muted">Loading policies…</p>}>
        <PoliciesView clusters={clusters} canAnalyse={canAnalyse} />
      </Suspense>
    </>
  );
}
