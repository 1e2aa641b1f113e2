/**
 * Password hashing with argon2id (DESIGN "Security model"). Plain Node (no `server-only`): the
 * launcher runs this under tsx to create the first admin.
 */
import { hash, verify } from '@node-rs/argon2';

/**
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). @node-rs/argon2 defaults to argon2id;
 * the parameters are spelled out so a library default change cannot weaken stored hashes.
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Returns a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) that embeds salt and parameters. */
export async function hashPassword(plain: string): Promise<string> {
  if (plain.length === 0) throw new Error('hashPassword: empty password');
  return hash(plain, ARGON2_OPTIONS);
}

/** True when `plain` matches `passwordHash`; false for a mismatch or a malformed/foreign hash. */
export async function verifyPassword(passwordHash: string, plain: string): Promise<boolean> {
  if (!passwordHash.startsWith('$argon2')) return false;
  try {
    return await verify(passwordHash, plain);
  } catch {
    return false;
  }
}
