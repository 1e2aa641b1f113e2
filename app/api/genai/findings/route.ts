// GET /api/genai/findings — GenAI findings (GenAiFindingsDto) sorted by severity, filtered by `severity` and `kind`
// (comma-separated) and `cluster`, each with its path, evidence, a graph link (highlight) and a /flows link; counts
// before the filters. Window as /api/genai/components. Analysts and admins.
import { genAiFindingsRequestSchema, resolveGenAiWindow } from '@/lib/api/genai';
import { handleGenAiGet } from '@/lib/server/genai/genai-route';
import { getGenAiFindings } from '@/lib/server/genai/get-genai-findings';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleGenAiGet(request, genAiFindingsRequestSchema, (session, query) => {
    const { fromMs, toMs } = resolveGenAiWindow(query, Date.now());
    return getGenAiFindings(session, { clusters: query.cluster, fromMs, toMs, severity: query.severity, kind: query.kind });
  });
}
