// GET /api/genai/rules — the admin GenAI classification rules (GenAiRulesDto) with the built-in rule ids (analysts and
// admins read). PUT /api/genai/rules — replaces them with `{ rules: [...] }` (admins only; same origin and the session's x-csrf-token), validated by
// core's parseGenAiRules (422 with field paths such as `rules.0.match.0.pattern`), audit-logged; applies on the next query.
import { genAiRulesBodySchema } from '@/lib/api/genai';
import { requestContext } from '@/lib/server/auth/request-context';
import { requireMutation } from '@/lib/server/auth/require-mutation';
import { requireSession } from '@/lib/server/auth/require-session';
import { AppError, errorResponse } from '@/lib/server/errors';
import { getGenAiRules, saveGenAiRules } from '@/lib/server/genai/genai-rules-store';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const session = await requireSession({ roles: ['analyst', 'admin'] });
    return Response.json(await getGenAiRules(session), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function PUT(request: Request): Promise<Response> {
  try {
    const session = await requireMutation(request, { roles: ['admin'] });
    const body: unknown = await request.json().catch(() => {
      throw new AppError('bad_request', 'The body is not JSON.');
    });
    const { rules } = genAiRulesBodySchema.parse(body);
    return Response.json(await saveGenAiRules(session, rules, requestContext(request)));
  } catch (error) {
    return errorResponse(error);
  }
}
