/**
 * `npm test` — every test, in order: lint, types, unit, integration (real Postgres), end-to-end
 * (Playwright in Chromium). Prints each runner's own output, then one summary line
 * `tests: N passed, N failed, N skipped` over all runners. Stops at the first failing stage.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/db/paths';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const resultsDir = path.join(repoRoot, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const bin = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name);
const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv.slice(2);

function run(stage: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  if (only.length > 0 && !only.includes(stage)) return true;
  console.log(`\n=== ${stage}: ${path.basename(command)} ${args.join(' ')}`);
  const startedMs = Date.now();
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${stage}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/** Adds a vitest JSON report to the totals; returns whether it recorded any failure. */
function addVitest(file: string): boolean {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  return report.numFailedTests > 0;
}

function addPlaywright(file: string): void {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { stats?: { expected: number; unexpected: number; flaky: number; skipped: number } };
  if (!report.stats) return;
  totals.passed += report.stats.expected + report.stats.flaky;
  totals.failed += report.stats.unexpected;
  totals.skipped += report.stats.skipped;
}

function finish(ok: boolean): never {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(ok && totals.failed === 0 ? 0 : 1);
}

const vitestArgs = (project: string) => ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(resultsDir, `${project}.json`)}`];

if (!run('lint', bin('eslint'), ['--max-warnings=0', '.'])) finish(false);
if (!run('types', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])) finish(false);
// NOTE: the exit code alone is not trusted: a failure is also read from each runner's JSON report.
const unitOk = run('unit', bin('vitest'), vitestArgs('unit'));
if (addVitest(path.join(resultsDir, 'unit.json')) || !unitOk) finish(false);
const integrationOk = run('integration', bin('vitest'), vitestArgs('integration'));
if (addVitest(path.join(resultsDir, 'integration.json')) || !integrationOk) finish(false);
const e2eOk = run('e2e', bin('playwright'), ['test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(resultsDir, 'e2e.json'),
});
addPlaywright(path.join(resultsDir, 'e2e.json'));
finish(e2eOk);
