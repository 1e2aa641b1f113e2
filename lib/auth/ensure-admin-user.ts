/**
 * First start: create the `admin` user with a random password, written to `<dataDir>/admin-password`
 * readable only by the owner, and returned once so the launcher can print it (DESIGN "Security model").
 * Plain Node (no `server-only`): the launcher runs this under tsx before Next starts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from 'postgres';
import { hashPassword } from './password';

export interface EnsureAdminUserOptions {
  sql: Sql;
  dataDir: string;
}

export interface EnsureAdminUserResult {
  /** True when this call created the admin (the database had no user). */
  created: boolean;
  passwordFile: string;
  /** The new admin's password; only present when `created`. */
  password?: string;
}

/** Advisory lock key so two launchers starting at once create one admin, not two. */
const ENSURE_ADMIN_LOCK = 0x666c6f77; // 'flow'

export async function ensureAdminUser(options: EnsureAdminUserOptions): Promise<EnsureAdminUserResult> {
  const passwordFile = path.resolve(options.dataDir, 'admin-password');
  // 18 random bytes → 24 base64url characters (144 bits): no brute force, still typeable.
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);

  const created = await options.sql.begin(async (transaction) => {
    await transaction`select pg_advisory_xact_lock(${ENSURE_ADMIN_LOCK})`;
    const [existing] = await transaction<{ count: number }[]>`select count(*)::int as count from users`;
    if ((existing?.count ?? 0) > 0) return false;
    await transaction`
      insert into users (id, username, display_name, password_hash, role, updated_at)
      values (gen_random_uuid(), 'admin', 'Administrator', ${passwordHash}, 'admin', now())`;
    return true;
  });

  if (!created) return { created: false, passwordFile };

  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(passwordFile, password, { mode: 0o600 });
  // NOTE: `mode` only applies when the file is created; an old file keeps its mode without this.
  chmodSync(passwordFile, 0o600);
  return { created: true, passwordFile, password };
}
