import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyCommand } from './classify-command';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testdata = path.join(repoRoot, 'core/genai/testdata');
const samples = path.resolve(repoRoot, '../shared/samples/genai-manifests/open-webui-ollama');

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await classifyCommand(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

describe('flowlens classify', () => {
  it('prints one object per workload for files and directories', async () => {
    const { code, stdout, stderr } = await run([path.join(testdata, 'qdrant-chart.yaml'), path.join(testdata, 'ollama-helm.yaml')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ namespace: string; name: string; kind: string; roles: Array<{ role: string; confidence: number; evidence: unknown[] }>; sensitivity: unknown }>;
    expect(rows.map((row) => [row.namespace, row.name, row.kind, row.roles.map((role) => role.role)])).toEqual([
      ['ai', 'models-ollama', 'Deployment', ['llm-inference']],
      ['search', 'kb-qdrant', 'StatefulSet', ['vector-db']],
    ]);
    expect(rows[1]?.sensitivity).toMatchObject({ level: 'confidential' });
    expect(rows[0]?.roles[0]?.evidence.length).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(samples))('reads a directory recursively (the shared Open WebUI sample)', async () => {
    const { code, stdout } = await run([samples]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Array<{ name: string }>).map((row) => row.name)).toEqual(['ollama', 'ollama-webui-deployment']);
  });

  it('applies custom rules and rejects invalid ones with field paths', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-classify-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify([{ kind: 'role', id: 'kb', role: 'data-store', confidence: 0.9, match: [{ kind: 'name', pattern: '^kb-' }] }]));
    const applied = await run([path.join(testdata, 'qdrant-chart.yaml'), '--rules', good]);
    expect((JSON.parse(applied.stdout) as Array<{ roles: Array<{ role: string }> }>)[0]?.roles.map((role) => role.role)).toEqual(['vector-db', 'data-store']);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ kind: 'role', id: 'kb', role: 'data-store', confidence: 3, match: [] }]));
    const rejected = await run([testdata, '--rules', bad]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('0.confidence');
    expect(rejected.stderr).toContain('0.match');
  });

  it.each([
    [[], 'FILE_OR_DIR is required'],
    [['--bogus', 'x'], 'unknown option --bogus'],
    [['/nonexistent/path'], 'cannot read /nonexistent/path'],
  ])('usage errors exit 2: %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
