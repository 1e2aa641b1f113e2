import 'server-only';
import type { z } from 'zod';
import type { RoleName } from '../../api/session-user';
import { getDataScope, type DataScope } from '../auth/data-scope';
import { requireSession } from '../auth/require-session';
import type { Session } from '../auth/get-session';

/** Flows and exports are for SREs; analysts and admins see everything an SRE does. Viewers read posture and graph only. */
export const FLOW_ROLES: readonly RoleName[] = ['sre', 'analyst', 'admin'];

/** Session + role check + the query string validated by `schema` (unknown parameters refused) + the viewer's data scope. */
export async function parseFlowRequest<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<{ session: Session; scope: DataScope; query: z.output<Schema> }> {
  const session = await requireSession({ roles: FLOW_ROLES });
  const query = schema.parse(Object.fromEntries(new URL(request.url).searchParams)) as z.output<Schema>;
  const scope = await getDataScope(session);
  return { session, scope, query };
}
