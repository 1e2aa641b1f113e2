import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FlowsExplorer } from '@/components/flows/flows-explorer';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { getSql } from '@/lib/server/db';
import { FLOW_ROLES } from '@/lib/server/flows/flow-request';
import { listClusterNames } from '@/lib/server/flows/list-cluster-names';

export const metadata: Metadata = { title: 'Flows' };

/**
 * `/flows` — the SRE's denied-flow investigation. The view's state is the URL (read on the client, so
 * filtering and brushing need no server round trip); the data comes from /api/flows*. Denied by default.
 */
export default async function FlowsPage() {
  const session = await requireSession({ nextPath: '/flows' });
  const allowed = FLOW_ROLES.includes(session.user.role);
  const clusters = allowed ? await listClusterNames(getSql(), await getDataScope(session)) : [];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Flows</h1>
          <p>What is being denied, since when, and by which policy rule.</p>
        </div>
      </div>
      {allowed ? (
        <Suspense fallback={<p className="muted">Loading flows…</p>}>
          <FlowsExplorer clusters={clusters} nowMs={Date.now()} />
        </Suspense>
      ) : (
        <div className="panel notice" role="alert">
          <p className="notice-title">Flows need the SRE, analyst or admin role</p>
          <p>You are signed in as {session.user.role}. The graph and the overview are open to you; ask an admin for the SRE role to investigate flows.</p>
        </div>
      )}
    </>
  );
}
