/**
 * `npm run db:generate` (also run on `npm install`): generates the Prisma client into lib/generated/prisma.
 *
 * NOTE: Prisma 7 generates and runs its client offline (query compiler + driver adapter), but its CLI
 * insists on locating a schema-engine binary it would otherwise download. Generation never uses it, so we
 * point PRISMA_SCHEMA_ENGINE_BINARY at an existing file when the user has not set one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env: NodeJS.ProcessEnv = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync(process.execPath, [prismaCli, 'generate'], { stdio: 'inherit', env });
if (result.status !== 0) {
  console.error('prisma generate failed (see above)');
  process.exit(result.status ?? 1);
}
