import 'server-only';
import { createCollectorToken, ensureCluster } from '../../db/collector-tokens';
import type { CollectorEndpointDto, CreatedTokenDto, SettingsClusterDto, SettingsTokenDto } from '../../api/settings';
import { clusterCreateRequestSchema, tokenCreateRequestSchema } from '../../api/settings';
import type { Session } from '../auth/get-session';
import { recordAudit } from '../audit/record-audit';
import { getPrisma, getSql } from '../db';
import { AppError } from '../errors';
import { getCollectorPort } from '../get-collector-port';
import { toSettingsTokenDto } from './to-settings-dtos';

/** The collector's URLs as a browser on `host` would reach them (same host name, the collector's port). */
export function collectorEndpoint(request: Request): CollectorEndpointDto {
  const configured = process.env.FLOWLENS_COLLECTOR_PUBLIC_URL;
  const base = configured
    ? configured.replace(/\/+$/, '')
    : (() => {
        const url = new URL(request.url);
        const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host') || url.host;
        const hostname = host.replace(/:\d+$/, '');
        return `http://${hostname}:${getCollectorPort()}`;
      })();
  return { flowsUrl: `${base}/v1/flows`, inventoryUrl: `${base}/v1/inventory` };
}

export async function listClusters(): Promise<SettingsClusterDto[]> {
  const clusters = await getPrisma().cluster.findMany({
    orderBy: { name: 'asc' },
    include: { _count: { select: { tokens: { where: { revokedAt: null } } } } },
  });
  return clusters.map((cluster) => ({
    id: cluster.id,
    name: cluster.name,
    displayName: cluster.displayName,
    flowFormat: cluster.flowFormat,
    createdAtMs: cluster.createdAt.getTime(),
    activeTokens: cluster._count.tokens,
  }));
}

export async function registerCluster(body: unknown, actor: Session, ip: string): Promise<SettingsClusterDto> {
  const input = clusterCreateRequestSchema.parse(body);
  const prisma = getPrisma();
  if (await prisma.cluster.findUnique({ where: { name: input.name } })) throw new AppError('conflict', `Cluster ${input.name} is already registered.`);
  const id = await ensureCluster(getSql(), input.name);
  const cluster = await prisma.cluster.update({ where: { id }, data: { displayName: input.displayName || null } });
  await recordAudit({ actor: actor.user, action: 'cluster.create', target: cluster.name, ip });
  return { id, name: cluster.name, displayName: cluster.displayName, flowFormat: cluster.flowFormat, createdAtMs: cluster.createdAt.getTime(), activeTokens: 0 };
}

export async function listTokens(): Promise<SettingsTokenDto[]> {
  const tokens = await getPrisma().collectorToken.findMany({
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    include: { cluster: { select: { name: true } } },
  });
  return tokens.map(toSettingsTokenDto);
}

/** Mints a token for a registered cluster; the plaintext is returned once and never stored. */
export async function mintToken(body: unknown, actor: Session, ip: string, collector: CollectorEndpointDto): Promise<CreatedTokenDto> {
  const input = tokenCreateRequestSchema.parse(body);
  const prisma = getPrisma();
  if (!(await prisma.cluster.findUnique({ where: { name: input.clusterName } }))) {
    throw new AppError('not_found', `Register cluster ${input.clusterName} first.`);
  }
  const created = await createCollectorToken(getSql(), { clusterName: input.clusterName, tokenName: input.name, createdBy: actor.user.username });
  const row = await prisma.collectorToken.findFirstOrThrow({ where: { prefix: created.prefix, clusterId: created.clusterId }, orderBy: { createdAt: 'desc' }, include: { cluster: { select: { name: true } } } });
  await recordAudit({ actor: actor.user, action: 'token.create', target: `${input.clusterName}/${created.prefix}`, ip, details: { name: input.name } });
  return { token: toSettingsTokenDto(row), plaintext: created.token, collector };
}

/** Revokes a token; the collector checks the database on every request, so it stops working at once. */
export async function revokeToken(tokenId: string, actor: Session, ip: string): Promise<SettingsTokenDto> {
  const prisma = getPrisma();
  const existing = await prisma.collectorToken.findUnique({ where: { id: tokenId }, include: { cluster: { select: { name: true } } } });
  if (!existing) throw new AppError('not_found', 'No such token.');
  if (existing.revokedAt) return toSettingsTokenDto(existing);
  const token = await prisma.collectorToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() }, include: { cluster: { select: { name: true } } } });
  await recordAudit({ actor: actor.user, action: 'token.revoke', target: `${token.cluster.name}/${token.prefix}`, ip, details: { name: token.name } });
  return toSettingsTokenDto(token);
}
