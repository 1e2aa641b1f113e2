import type { Metadata } from 'next';
import { Suspense } from 'react';
import { GraphView } from '@/components/graph/graph-view';
import { requireSession } from '@/lib/server/auth/require-session';

export const metadata: Metadata = { title: 'Graph' };

/**
 * `/graph` — the service-dependency graph. The view's state is the URL (searchParams), read on the client so
 * filters, selection and overlays change without a server round trip; the graph itself comes from /api/graph.
 */
export default async function GraphPage() {
  await requireSession({ nextPath: '/graph' });
  return (
    <>
      <div className="page-header graph-page-header">
        <div>
          <h1>Service graph</h1>
          <p>Who talks to whom, which policy allowed or denied it, and where no policy applies.</p>
        </div>
      </div>
      <Suspense fallback={<p className="muted">Loading the graph…</p>}>
        <GraphView />
      </Suspense>
    </>
  );
}
