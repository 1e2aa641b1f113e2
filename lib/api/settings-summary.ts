import type { RoleName } from './session-user';

/** Clusters, collector tokens and (for admins) users, read-only until the settings editor lands. */
export interface SettingsSummaryDto {
  clusters: { id: number; name: string; displayName: string | null; flowFormat: string | null; createdAtMs: number }[];
  tokens: {
    id: string;
    clusterName: string;
    name: string;
    /** First characters of the token, so tokens can be told apart (the token itself is never stored). */
    prefix: string;
    createdBy: string | null;
    createdAtMs: number;
    lastUsedAtMs: number | null;
    revokedAtMs: number | null;
  }[];
  /** Null when the caller is not an admin. */
  users: { id: string; username: string; displayName: string | null; role: RoleName; disabled: boolean; lastLoginAtMs: number | null }[] | null;
}
