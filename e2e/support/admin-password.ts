import { readFileSync } from 'node:fs';
import { ADMIN_PASSWORD_FILE } from './stack-config';

/** The first admin's password, written by the launcher on first start (mode 0600). */
export function adminPassword(): string {
  return readFileSync(ADMIN_PASSWORD_FILE, 'utf8').trim();
}
