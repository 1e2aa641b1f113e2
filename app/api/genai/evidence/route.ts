// GET /api/genai/evidence — evidence flows of one path hop (GenAiEvidenceDto): the newest raw flows from `source` to
// `target` (workload-level node ids) in the window, optionally by `verdict`, with the deciding policy trace in words
// and a /flows link. Scoped to the caller's data. Analysts and admins.
import { genAiEvidenceRequestSchema } from '@/lib/api/genai';
import { handleGenAiGet } from '@/lib/server/genai/genai-route';
import { getGenAiEvidence } from '@/lib/server/genai/get-genai-evidence';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleGenAiGet(request, genAiEvidenceRequestSchema, (session, query) => getGenAiEvidence(session, query));
}
