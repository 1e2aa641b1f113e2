// GET /api/auth/session — the signed-in user and the session's CSRF token (for `x-csrf-token`); 401 without a session.
import { NextResponse } from 'next/server';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import type { SessionUserDto } from '@/lib/api/session-user';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const session = await requireSession();
    return NextResponse.json<{ user: SessionUserDto; csrfToken: string; expiresAtMs: number }>(
      { user: session.user, csrfToken: session.csrfToken, expiresAtMs: session.expiresAtMs },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (error) {
    return errorResponse(error);
  }
}
