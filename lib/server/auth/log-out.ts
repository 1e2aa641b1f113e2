import 'server-only';
import { getPrisma } from '../db';
import { sessionCookie } from './session-cookie';

/** Ends the session the token belongs to (idempotent: an unknown token is a no-op). */
export async function logOut(token: string | undefined, context: { ip: string }): Promise<void> {
  if (!token) return;
  const prisma = getPrisma();
  const id = sessionCookie.hashToken(token);
  const session = await prisma.session.findUnique({ where: { id }, select: { user: { select: { id: true, username: true } } } });
  if (!session) return;
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { id } }),
    prisma.auditLog.create({
      data: { actorId: session.user.id, actorName: session.user.username, action: 'logout', ip: context.ip },
    }),
  ]);
}
