import 'server-only';
import type { RoleName } from '../../api/session-user';

/**
 * The minimum role per page section, applied to every signed-in page by the (app) layout — one place,
 * so a page that forgets its own role check is still covered. Pages may be stricter themselves.
 * viewer reads posture and graph; sre adds flows (and exports); analyst adds GenAI and policy what-if;
 * admin adds settings.
 */
const PAGE_ROLES: ReadonlyArray<{ prefix: string; roles: readonly RoleName[] }> = [
  { prefix: '/settings', roles: ['admin'] },
  { prefix: '/genai', roles: ['analyst', 'admin'] },
  { prefix: '/flows', roles: ['sre', 'analyst', 'admin'] },
];

/** Whether `role` may open `pathname` (unlisted sections are open to every signed-in role). */
export function mayOpenPage(pathname: string, role: RoleName): boolean {
  const rule = PAGE_ROLES.find((entry) => pathname === entry.prefix || pathname.startsWith(`${entry.prefix}/`));
  return rule ? rule.roles.includes(role) : true;
}

/** Request header the proxy sets to the page's path, so the layout can check it. */
export const PATHNAME_HEADER = 'x-flowlens-pathname';
