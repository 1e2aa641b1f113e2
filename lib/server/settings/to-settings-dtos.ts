import 'server-only';
import type { SettingsTokenDto, SettingsUserDto } from '../../api/settings';
import type { RoleName } from '../../api/session-user';

/** Prisma rows → settings DTOs (never the password hash or token hash). */
export function toSettingsUserDto(user: {
  id: string;
  username: string;
  displayName: string | null;
  role: RoleName;
  disabled: boolean;
  scopeClusters: string[];
  scopeNamespaces: string[];
  oidcSubject: string | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}): SettingsUserDto {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    disabled: user.disabled,
    scopeClusters: user.scopeClusters,
    scopeNamespaces: user.scopeNamespaces,
    sso: user.oidcSubject !== null,
    lastLoginAtMs: user.lastLoginAt?.getTime() ?? null,
    createdAtMs: user.createdAt.getTime(),
  };
}

export function toSettingsTokenDto(token: {
  id: string;
  name: string;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  cluster: { name: string };
}): SettingsTokenDto {
  return {
    id: token.id,
    clusterName: token.cluster.name,
    name: token.name,
    prefix: token.prefix,
    createdBy: token.createdBy,
    createdAtMs: token.createdAt.getTime(),
    lastUsedAtMs: token.lastUsedAt?.getTime() ?? null,
    revokedAtMs: token.revokedAt?.getTime() ?? null,
  };
}
