// GET /api/policies/coverage?cluster= — CoverageDto: per workload of the cluster's latest inventory, whether ingress
// and egress are governed and by which policies (unprotected first); namespaces with/without default deny. Any role; scoped.
import { coverageRequestSchema } from '@/lib/api/policies';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getPolicyCoverage } from '@/lib/server/policies/get-policy-coverage';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession();
    const query = coverageRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const scope = await getDataScope(session);
    return Response.json(await getPolicyCoverage(query, { scope }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
