/** Where things live on disk, resolved from the repository root (not the working directory). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');

export function dataDir(): string {
  return path.resolve(repoRoot, process.env.FLOWLENS_DATA_DIR ?? '.data');
}
