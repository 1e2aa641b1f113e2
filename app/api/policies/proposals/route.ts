// GET /api/policies/proposals?cluster= — ProposalsDto: proposed policy sets stored by what-if runs for the cluster, newest first.
import { proposalsRequestSchema } from '@/lib/api/policies';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { listPolicyProposals } from '@/lib/server/policies/list-policy-proposals';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ['analyst', 'admin'] });
    const query = proposalsRequestSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const scope = await getDataScope(session);
    return Response.json(await listPolicyProposals(query, { scope }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
