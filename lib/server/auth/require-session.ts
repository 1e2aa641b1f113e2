import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import type { RoleName } from '../../api/session-user';
import { AppError } from '../errors';
import { getSession, type Session } from './get-session';

export interface RequireSessionOptions {
  /**
   * Pages pass their own path: without a session they redirect to `/login?next=<path>`.
   * Route handlers omit it: without a session they throw AppError('unauthenticated') → 401 JSON.
   */
  nextPath?: string;
  /** Roles allowed; omitted = any signed-in user. */
  roles?: readonly RoleName[];
}

/** The one server-side gate every page and route handler calls (except login, logout and health). */
export async function requireSession(options: RequireSessionOptions = {}): Promise<Session> {
  const session = await getSession();
  if (!session) {
    if (options.nextPath !== undefined) redirect(`/login?next=${encodeURIComponent(options.nextPath)}`);
    throw new AppError('unauthenticated', 'Sign in first: this request needs a session.');
  }
  if (options.roles && !options.roles.includes(session.user.role)) {
    // Pages answer 403 with app/forbidden.tsx; route handlers a 403 JSON body.
    if (options.nextPath !== undefined) forbidden();
    throw new AppError('forbidden', `This needs one of the roles ${options.roles.join(', ')}; you are ${session.user.role}.`);
  }
  return session;
}
