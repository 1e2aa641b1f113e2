import type { Metadata } from 'next';
import { GenaiSummaryView } from '@/components/genai/genai-summary-view';
import { ComingLater } from '@/components/ui/coming-later';
import { requireSession } from '@/lib/server/auth/require-session';
import { getGenaiSummary } from '@/lib/server/genai/get-genai-summary';

export const metadata: Metadata = { title: 'GenAI' };

/** `/genai` — GenAI components and data-access paths (not built yet) with external LLM traffic seen. */
export default async function GenaiPage() {
  await requireSession({ nextPath: '/genai' });
  const summary = await getGenaiSummary();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>GenAI</h1>
          <p>Inference servers, vector databases, external LLM APIs, and the paths that reach sensitive data.</p>
        </div>
      </div>
      <ComingLater feature="GenAI classification and data-access paths">
        Components classified with their evidence (images, ports, labels, domains, traffic shape), multi-hop paths from the
        internet to sensitive data with the policies that allowed each hop, and findings by severity.
      </ComingLater>
      <GenaiSummaryView summary={summary} />
    </>
  );
}
