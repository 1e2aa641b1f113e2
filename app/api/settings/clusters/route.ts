// GET /api/settings/clusters — registered clusters and the collector URLs (admin only).
// POST /api/settings/clusters — registers a cluster {name, displayName?} (admin only).
import { NextResponse } from 'next/server';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { collectorEndpoint, listClusters, registerCluster } from '@/lib/server/settings/manage-collectors';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    await requireSession({ roles: ['admin'] });
    return NextResponse.json({ clusters: await listClusters(), collector: collectorEndpoint(request) });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: Request): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const cluster = await registerCluster(await readJsonBody(request), session, requestContext(request).ip);
    return NextResponse.json({ cluster, collector: collectorEndpoint(request) }, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
