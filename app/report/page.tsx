import type { Metadata } from 'next';
import { cache } from 'react';
import { PostureSummary } from '@/components/overview/posture-summary';
import { ReportToolbar } from '@/components/overview/report-toolbar';
import '@/components/overview/posture.css';
import { postureRequestSchema } from '@/lib/api/posture';
import { requireSession } from '@/lib/server/auth/require-session';
import { getPostureOverview } from '@/lib/server/overview/get-posture-overview';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One load per request, shared by the title and the page (React `cache`). */
const loadReport = cache(async (period: string | undefined, clusters: string | undefined) => {
  const search = new URLSearchParams({ ...(period ? { period } : {}), ...(clusters ? { clusters } : {}) }).toString();
  const session = await requireSession({ nextPath: `/report${search ? `?${search}` : ''}` });
  const data = await getPostureOverview(session, postureRequestSchema.parse({ period, clusters }));
  return { session, data, search };
});

const param = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** The title names the period and the clusters: it becomes the PDF's title and the default file name when printing. */
export async function generateMetadata(props: { searchParams: SearchParams }): Promise<Metadata> {
  const raw = await props.searchParams;
  const { data } = await loadReport(param(raw.period), param(raw.clusters));
  return { title: { absolute: `flowlens posture report - ${data.clusters.join(', ') || 'no clusters'} - ${data.periodStartDay} to ${data.periodEndDay}` } };
}

/**
 * `/report?period=30d&clusters=a,b` — the posture summary as a printable page (print CSS for A4 and
 * Letter), also what the PDF download renders. States the period, the clusters and when it was made.
 */
export default async function ReportPage(props: { searchParams: SearchParams }) {
  const raw = await props.searchParams;
  const { session, data, search } = await loadReport(param(raw.period), param(raw.clusters));
  const madeAt = new Date(data.generatedAtMs).toISOString().replace('T', ' ').slice(0, 16);
  const periodWords = data.period === '7d' ? '7 days' : data.period === '30d' ? '30 days' : '90 days';
  return (
    <main className="report-page" data-testid="report" data-state="ready">
      <ReportToolbar search={search} />
      <h1>flowlens posture report</h1>
      <dl className="report-meta" data-testid="report-meta">
        <dt>Period</dt>
        <dd data-testid="report-period">
          last {periodWords}: {data.periodStartDay} to {data.periodEndDay} (UTC days)
        </dd>
        <dt>Clusters</dt>
        <dd data-testid="report-clusters">{data.clusters.length > 0 ? data.clusters.join(', ') : 'none'}</dd>
        <dt>Made</dt>
        <dd>
          {madeAt} UTC for {session.user.username}
        </dd>
      </dl>
      <PostureSummary data={data} variant="report" />
      <p className="small muted">
        The score is 100 minus the points lost by seven parts (policy coverage of workloads 25, default-deny namespaces 10, traffic allowed
        without policy 15, denied-flow trend 10, open GenAI findings 20, sensitive stores reachable without policy 10, external egress
        without policy 10). Several clusters are combined by their workload counts.
      </p>
    </main>
  );
}
