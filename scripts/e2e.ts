/**
 * `npm run test:e2e` — runs the Playwright suite and exits with its code. Builds nothing itself: the
 * suite's global setup starts the product through the launcher, which builds Next when needed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const playwright = path.join(repoRoot, 'node_modules', '.bin', 'playwright');

const child = spawn(playwright, ['test', ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
// Ctrl-C reaches Playwright through the shared process group: wait for it to tear the stack down.
// A SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => {
  console.error(`test:e2e: could not run ${playwright}: ${error.message}`);
  process.exit(1);
});
