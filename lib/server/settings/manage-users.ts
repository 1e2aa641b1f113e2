import 'server-only';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../auth/password';
import type { CreatedUserDto, SettingsUserDto, UserUpdateRequest } from '../../api/settings';
import { userCreateRequestSchema, userUpdateRequestSchema } from '../../api/settings';
import type { Session } from '../auth/get-session';
import { recordAudit } from '../audit/record-audit';
import { getPrisma } from '../db';
import { AppError } from '../errors';
import { toSettingsUserDto } from './to-settings-dtos';

/** A generated password: 18 random bytes (144 bits), URL-safe so it survives copy and paste. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function listUsers(): Promise<SettingsUserDto[]> {
  const users = await getPrisma().user.findMany({ orderBy: { username: 'asc' } });
  return users.map(toSettingsUserDto);
}

export async function createUser(body: unknown, actor: Session, ip: string): Promise<CreatedUserDto> {
  const input = userCreateRequestSchema.parse(body);
  const prisma = getPrisma();
  if (await prisma.user.findUnique({ where: { username: input.username } })) {
    throw new AppError('conflict', `A user named ${input.username} already exists.`);
  }
  const password = input.password ?? generatePassword();
  const user = await prisma.user.create({
    data: {
      username: input.username,
      displayName: input.displayName || null,
      role: input.role,
      passwordHash: await hashPassword(password),
      scopeClusters: input.scopeClusters,
      scopeNamespaces: input.scopeNamespaces,
    },
  });
  await recordAudit({
    actor: actor.user,
    action: 'user.create',
    target: user.username,
    ip,
    details: { role: user.role, scopeClusters: user.scopeClusters, scopeNamespaces: user.scopeNamespaces, passwordGenerated: !input.password },
  });
  return { user: toSettingsUserDto(user), generatedPassword: input.password ? null : password };
}

/**
 * Changes role, display name, disabled flag or scope. Disabling ends the user's sessions at once;
 * role and scope are read on every request, so they apply to open sessions immediately.
 * An admin cannot disable or demote themselves, and the last active admin cannot be removed.
 */
export async function updateUser(userId: string, body: unknown, actor: Session, ip: string): Promise<SettingsUserDto> {
  const input: UserUpdateRequest = userUpdateRequestSchema.parse(body);
  const prisma = getPrisma();
  const existing = await prisma.user.findUnique({ where: { id: userId } });
  if (!existing) throw new AppError('not_found', 'No such user.');
  const losesAdmin = existing.role === 'admin' && ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
  if (losesAdmin && existing.id === actor.user.id) throw new AppError('conflict', 'You cannot disable or demote yourself.');
  if (losesAdmin) {
    const admins = await prisma.user.count({ where: { role: 'admin', disabled: false } });
    if (admins <= 1) throw new AppError('conflict', 'This is the last active admin.');
  }
  const user = await prisma.user.update({
    where: { id: userId },
    data: {
      ...(input.displayName !== undefined ? { displayName: input.displayName || null } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
      ...(input.scopeClusters !== undefined ? { scopeClusters: input.scopeClusters } : {}),
      ...(input.scopeNamespaces !== undefined ? { scopeNamespaces: input.scopeNamespaces } : {}),
    },
  });
  if (input.disabled === true) await prisma.session.deleteMany({ where: { userId } });
  const action = input.disabled === true ? 'user.disable' : input.disabled === false && existing.disabled ? 'user.enable' : 'user.update';
  await recordAudit({ actor: actor.user, action, target: user.username, ip, details: { changes: input } });
  return toSettingsUserDto(user);
}

/** Sets a new password (typed or generated, returned once) and ends the user's sessions. */
export async function resetUserPassword(userId: string, password: string | undefined, actor: Session, ip: string): Promise<{ generatedPassword: string | null }> {
  const prisma = getPrisma();
  const existing = await prisma.user.findUnique({ where: { id: userId } });
  if (!existing) throw new AppError('not_found', 'No such user.');
  const plain = password ?? generatePassword();
  await prisma.$transaction([
    prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(plain), failedLoginCount: 0, lastFailedLoginAt: null } }),
    prisma.session.deleteMany({ where: { userId } }),
  ]);
  await recordAudit({ actor: actor.user, action: 'user.password_reset', target: existing.username, ip, details: { generated: !password } });
  return { generatedPassword: password ? null : plain };
}
