// GET /api/health — {status, database}: 200 when the web app and its database answer, 503 otherwise.
// Public (no session): probes and the launcher call it.
import { getHealth } from '@/lib/server/get-health';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const health = await getHealth({ timeoutMs: 2_000 });
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
