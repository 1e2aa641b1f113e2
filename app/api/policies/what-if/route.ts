// POST /api/policies/what-if — WhatIfDto: a proposed policy set (YAML files, merged into or replacing the current one)
// replayed against the stored traffic of the window (≤ 30 d, on the rollups): the edges whose verdict would change.
// Analyst or admin; CSRF-checked; audit-logged as `policy.upload`; `saveAs` stores the proposal in policy_sets.
import { whatIfRequestSchema } from '@/lib/api/policies';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { errorResponse } from '@/lib/server/errors';
import { MAX_UPLOAD_BODY_BYTES, readJsonBody } from '@/lib/server/http/read-json-body';
import { runWhatIf } from '@/lib/server/policies/run-what-if';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['analyst', 'admin'] });
    const body = whatIfRequestSchema.parse(await readJsonBody(request, { maxBytes: MAX_UPLOAD_BODY_BYTES }));
    const scope = await getDataScope(session);
    const actor = { id: session.user.id, username: session.user.username, ip: requestContext(request).ip };
    return Response.json(await runWhatIf(body, { scope, actor }), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
