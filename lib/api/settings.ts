import { z } from 'zod';
import { ROLE_NAMES, type RoleName } from './session-user';

/** Settings API types and request schemas (client-safe: the forms validate with the same schemas). */

const clusterNameSchema = z
  .string()
  .trim()
  .min(1, 'Name the cluster')
  .max(63, 'At most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'Lower-case letters, digits and dashes (a DNS label)');

/** `cluster/namespace` or `*` + `/namespace` (that namespace in every allowed cluster). */
const namespaceEntrySchema = z
  .string()
  .trim()
  .regex(/^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?)\/[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'Write namespaces as cluster/namespace or */namespace');

const passwordSchema = z.string().min(12, 'At least 12 characters').max(256, 'At most 256 characters');

export const userCreateRequestSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, 'Enter a username')
    .max(64, 'At most 64 characters')
    .regex(/^[A-Za-z0-9._@-]+$/, 'Letters, digits and . _ @ - only'),
  displayName: z.string().trim().max(128).optional(),
  role: z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]),
  /** Omitted: the server generates one and returns it once. */
  password: passwordSchema.optional(),
  scopeClusters: z.array(clusterNameSchema).max(200).default([]),
  scopeNamespaces: z.array(namespaceEntrySchema).max(1000).default([]),
});
export type UserCreateRequest = z.input<typeof userCreateRequestSchema>;

export const userUpdateRequestSchema = z
  .object({
    displayName: z.string().trim().max(128).nullable(),
    role: z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]),
    disabled: z.boolean(),
    scopeClusters: z.array(clusterNameSchema).max(200),
    scopeNamespaces: z.array(namespaceEntrySchema).max(1000),
  })
  .partial()
  .strict();
export type UserUpdateRequest = z.input<typeof userUpdateRequestSchema>;

export const passwordResetRequestSchema = z.object({ password: passwordSchema.optional() }).strict();

export const clusterCreateRequestSchema = z.object({
  name: clusterNameSchema,
  displayName: z.string().trim().max(128).optional(),
});

export const tokenCreateRequestSchema = z.object({
  clusterName: clusterNameSchema,
  name: z.string().trim().min(1, 'Name the token (e.g. where it is used)').max(64),
});

export const retentionSchema = z.object({
  rawFlowDays: z.coerce.number().int().min(1).max(3650),
  rollupDays: z.coerce.number().int().min(1).max(3650),
});
export type RetentionDto = z.infer<typeof retentionSchema>;
export const DEFAULT_RETENTION: RetentionDto = { rawFlowDays: 30, rollupDays: 400 };

export const auditQuerySchema = z.object({
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(64).optional(),
  fromMs: z.coerce.number().int().min(0).optional(),
  toMs: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export interface SettingsUserDto {
  id: string;
  username: string;
  displayName: string | null;
  role: RoleName;
  disabled: boolean;
  scopeClusters: string[];
  scopeNamespaces: string[];
  sso: boolean;
  lastLoginAtMs: number | null;
  createdAtMs: number;
}

export interface SettingsClusterDto {
  id: number;
  name: string;
  displayName: string | null;
  flowFormat: string | null;
  createdAtMs: number;
  activeTokens: number;
}

export interface SettingsTokenDto {
  id: string;
  clusterName: string;
  name: string;
  prefix: string;
  createdBy: string | null;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
}

/** How a collector reaches this installation (shown after registering a cluster or minting a token). */
export interface CollectorEndpointDto {
  /** e.g. http://<this host>:4800/v1/flows */
  flowsUrl: string;
  inventoryUrl: string;
}

export interface CreatedTokenDto {
  token: SettingsTokenDto;
  /** The secret, shown once; only its SHA-256 is stored. */
  plaintext: string;
  collector: CollectorEndpointDto;
}

export interface CreatedUserDto {
  user: SettingsUserDto;
  /** Set when the server generated the password: shown once. */
  generatedPassword: string | null;
}

export interface AuditEntryDto {
  id: string;
  atMs: number;
  actorName: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: unknown;
}
