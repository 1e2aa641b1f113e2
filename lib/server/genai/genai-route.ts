import 'server-only';
import type { z } from 'zod';
import { requireSession } from '../auth/require-session';
import type { Session } from '../auth/get-session';
import { errorResponse } from '../errors';

/** GenAI analysis is for analysts and admins (viewers and SREs cannot see it). */
export const GENAI_ROLES = ['analyst', 'admin'] as const;

/**
 * The shape every GenAI GET route shares: session with an analyst role → query parsed by `schema`
 * (zod errors become 422) → `load` → JSON, never cached. Errors go through the one error table.
 */
export async function handleGenAiGet<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  load: (session: Session, query: z.output<Schema>) => Promise<unknown>,
): Promise<Response> {
  try {
    const session = await requireSession({ roles: GENAI_ROLES });
    const query = schema.parse(Object.fromEntries(new URL(request.url).searchParams)) as z.output<Schema>;
    return Response.json(await load(session, query), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
