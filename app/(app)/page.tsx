import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { OverviewView } from '@/components/overview/overview-view';
import { PostureView } from '@/components/overview/posture-view';
import { postureRequestSchema } from '@/lib/api/posture';
import { makeQueryClient } from '@/lib/query/make-query-client';
import { overviewQueryOptions } from '@/lib/query/overview';
import { postureQueryOptions } from '@/lib/query/posture';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { getCollectorPort } from '@/lib/server/get-collector-port';
import { getOverview } from '@/lib/server/overview/get-overview';
import { getPostureOverview } from '@/lib/server/overview/get-posture-overview';

export const metadata: Metadata = { title: 'Overview' };

/**
 * `/` — the posture summary (score and reasons, trends, top risks, GenAI findings, clusters compared),
 * then the data-ingest figures per cluster. Server prefetch shares the client queries' keys (STYLE rule 10).
 */
export default async function OverviewPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession({ nextPath: '/' });
  const raw = await props.searchParams;
  const parsed = postureRequestSchema.safeParse({ period: typeof raw.period === 'string' ? raw.period : undefined, clusters: typeof raw.clusters === 'string' ? raw.clusters : undefined });
  const { period, clusters } = parsed.success ? parsed.data : { period: '30d' as const, clusters: [] };
  const queryClient = makeQueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...postureQueryOptions(period, clusters), queryFn: () => getPostureOverview(session, { period, clusters }) }),
    queryClient.prefetchQuery({ ...overviewQueryOptions(), queryFn: async () => getOverview({ scope: await getDataScope(session) }) }),
  ]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p>Security posture: one score with its reasons, the trend over weeks, the top risks and what to do about them.</p>
        </div>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <PostureView initialPeriod={period} clusters={clusters} />
        <section aria-labelledby="data-ingest-title" className="data-section">
          <div className="page-header">
            <div>
              <h2 id="data-ingest-title">Data</h2>
              <p>Flows ingested per cluster over the last 24 hours. Updates every 10 seconds.</p>
            </div>
          </div>
          <OverviewView collectorPort={getCollectorPort()} />
        </section>
      </HydrationBoundary>
    </>
  );
}
