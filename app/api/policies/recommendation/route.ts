// GET /api/policies/recommendation?cluster=&workload=ns/name|namespace=ns&range=&format=json|yaml — RecommendationDto: the
// least-privilege NetworkPolicy YAML allowing exactly the traffic observed in the window, with the evidence per rule;
// `format=yaml` downloads the YAML file. Analyst or admin; scoped.
import { recommendationRequestSchema } from '@/lib/api/policies';
import { getDataScope } from '@/lib/server/auth/data-scope';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { getPolicyRecommendation } from '@/lib/server/policies/get-policy-recommendation';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const session = await requireSession({ roles: ['analyst', 'admin'] });
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const { format, ...rest } = params;
    const query = recommendationRequestSchema.parse(rest);
    const scope = await getDataScope(session);
    const recommendation = await getPolicyRecommendation(query, { scope });
    if (format === 'yaml') {
      return new Response(recommendation.yaml, {
        headers: {
          'content-type': 'application/yaml; charset=utf-8',
          'content-disposition': `attachment; filename="${recommendation.fileName}"`,
          'cache-control': 'no-store',
        },
      });
    }
    return Response.json(recommendation, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
