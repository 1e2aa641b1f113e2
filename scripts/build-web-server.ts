/**
 * Bundles scripts/web-server.ts into plain JavaScript next to Next's output
 * (.next/flowlens-web-server.mjs), so the web server runs on bare `node`: under the TypeScript loader
 * every module Next loads passes through its hooks, and the server's peak memory during a 1M-row export
 * rose from ~380 to ~540 MB. Our code is bundled; packages (next, …) stay imports. Takes ~50 ms.
 * Run by the launcher on every start, by the Dockerfile after `next build`, and by bench:flows.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_SERVER_BUNDLE = path.join(repoRoot, '.next', 'flowlens-web-server.mjs');

export async function buildWebServer(): Promise<string> {
  await build({
    entryPoints: [path.join(repoRoot, 'scripts', 'web-server.ts')],
    outfile: WEB_SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return WEB_SERVER_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWebServer();
  console.log(`web server bundled: ${path.relative(repoRoot, WEB_SERVER_BUNDLE)}`);
}
