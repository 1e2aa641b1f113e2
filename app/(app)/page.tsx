import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { OverviewView } from '@/components/overview/overview-view';
import { makeQueryClient } from '@/lib/query/make-query-client';
import { overviewQueryOptions } from '@/lib/query/overview';
import { requireSession } from '@/lib/server/auth/require-session';
import { getCollectorPort } from '@/lib/server/get-collector-port';
import { getOverview } from '@/lib/server/overview/get-overview';

export const metadata: Metadata = { title: 'Overview' };

/** `/` — ingest overview per cluster. Server prefetch shares the client query's key (STYLE rule 10). */
export default async function OverviewPage() {
  await requireSession({ nextPath: '/' });
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...overviewQueryOptions(), queryFn: () => getOverview() });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p>Flows ingested per cluster over the last 24 hours. Updates every 10 seconds.</p>
        </div>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <OverviewView collectorPort={getCollectorPort()} />
      </HydrationBoundary>
    </>
  );
}
