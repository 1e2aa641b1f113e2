import 'server-only';
import type { SettingsSummaryDto } from '../../api/settings-summary';
import type { RoleName } from '../../api/session-user';
import { getPrisma } from '../db';

/** App data through Prisma: clusters, their collector tokens, and users (admins only). */
export async function getSettingsSummary(options: { viewerRole: RoleName }): Promise<SettingsSummaryDto> {
  const prisma = getPrisma();
  const [clusters, tokens, users] = await Promise.all([
    prisma.cluster.findMany({ orderBy: { name: 'asc' } }),
    prisma.collectorToken.findMany({
      orderBy: [{ cluster: { name: 'asc' } }, { createdAt: 'asc' }],
      include: { cluster: { select: { name: true } } },
    }),
    options.viewerRole === 'admin' ? prisma.user.findMany({ orderBy: { username: 'asc' } }) : Promise.resolve(null),
  ]);
  return {
    clusters: clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      displayName: cluster.displayName,
      flowFormat: cluster.flowFormat,
      createdAtMs: cluster.createdAt.getTime(),
    })),
    tokens: tokens.map((token) => ({
      id: token.id,
      clusterName: token.cluster.name,
      name: token.name,
      prefix: token.prefix,
      createdBy: token.createdBy,
      createdAtMs: token.createdAt.getTime(),
      lastUsedAtMs: token.lastUsedAt?.getTime() ?? null,
      revokedAtMs: token.revokedAt?.getTime() ?? null,
    })),
    users:
      users?.map((user) => ({
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        disabled: user.disabled,
        lastLoginAtMs: user.lastLoginAt?.getTime() ?? null,
      })) ?? null,
  };
}
