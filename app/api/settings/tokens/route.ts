// GET /api/settings/tokens — collector tokens (prefix, cluster, created by, last use, revoked) (admin only).
// POST /api/settings/tokens — mints a token {clusterName, name}; the secret is in the answer once (admin only).
import { NextResponse } from 'next/server';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { collectorEndpoint, listTokens, mintToken } from '@/lib/server/settings/manage-collectors';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await requireSession({ roles: ['admin'] });
    return NextResponse.json({ tokens: await listTokens() });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: Request): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const created = await mintToken(await readJsonBody(request), session, requestContext(request).ip, collectorEndpoint(request));
    return NextResponse.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
