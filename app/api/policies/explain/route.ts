// GET /api/policies/explain?cluster=&src=ns/name|ip|domain&dst=…&port=&protocol=&range= — ExplainDto: what the current
// policy set says about the edge and why, next to the verdicts the dataplane reported in the window, mismatches flagged.
import { explainRequestSchema } from '@/lib/api/policies';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { explainPolicyFlow } from '@/lib/server/policies/explain-policy-flow';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = explainRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const scope = await getDataScope(session);
    return Response.json(await explainPolicyFlow(query, { scope }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
