import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id and the pinned parameters, salted per call', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('s3cret-Ünïcode-🔑');
    expect(await verifyPassword(hash, 's3cret-Ünïcode-🔑')).toBe(true);
    expect(await verifyPassword(hash, 's3cret-Ünïcode-🔒')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it.each([
    ['an empty hash', ''],
    ['a bcrypt hash', '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
    ['a truncated argon2 hash', '$argon2id$v=19$m=19456,t=2,p=1$abc'],
  ])('returns false (never throws) for %s', async (_label, hash) => {
    await expect(verifyPassword(hash, 'anything')).resolves.toBe(false);
  });

  it('refuses to hash an empty password', async () => {
    await expect(hashPassword('')).rejects.toThrow(/empty/);
  });
});
