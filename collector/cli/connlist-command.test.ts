import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connlistCommand } from './connlist-command';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-connlist-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await connlistCommand(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const deployments = `apiVersion: apps/v1
kind: Deployment
metadata: {name: a, namespace: ns}
spec: {template: {metadata: {labels: {app: a}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, namespace: ns}
spec: {template: {metadata: {labels: {app: b}}}}
`;
const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-in, namespace: ns}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: a}}}]
    ports: [{port: 8080}]
`;

describe('flowlens connlist', () => {
  it('prints the sorted connlist and exits 0', async () => {
    const dir = fixture({ 'apps/deploy.yaml': deployments, 'policy.yml': policy });
    const { code, stdout } = await run([dir]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      '0.0.0.0-255.255.255.255[External] => ns/a[Deployment] : All Connections',
      'ns/a[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'ns/a[Deployment] => ns/b[Deployment] : TCP 8080',
      'ns/b[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'ns/b[Deployment] => ns/a[Deployment] : All Connections',
    ]);
  });

  it('prints JSON with explanations', async () => {
    const dir = fixture({ 'deploy.yaml': deployments, 'policy.json': JSON.stringify((await import('yaml')).parse(policy)) });
    const { code, stdout } = await run([dir, '--format', 'json', '--explain']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ src: string; dst: string; conn: string; explanation: string[] }>;
    const row = rows.find((candidate) => candidate.dst === 'ns/b[Deployment]' && candidate.src === 'ns/a[Deployment]');
    expect(row?.conn).toBe('TCP 8080');
    expect(row?.explanation.join('\n')).toContain("NetworkPolicy 'ns/b-in' Ingress rule #1");
  });

  it('skips bad documents, says how many, and exits non-zero', async () => {
    const dir = fixture({ 'deploy.yaml': deployments, 'bad.yaml': `${policy.replace('8080', '99999')}---\nkind: [oops\n` });
    const { code, stdout, stderr } = await run([dir]);
    expect(code).toBe(1);
    expect(stdout).toContain('ns/a[Deployment] => ns/b[Deployment] : All Connections');
    expect(stderr).toContain('bad.yaml, document 1, field spec.ingress[0].ports[0].port');
    expect(stderr).toContain('bad.yaml, document 2');
    expect(stderr).toContain('skipped 2 documents');
  });

  it.each([[[]], [['--format', 'xml', 'dir']], [['a', 'b']]])('rejects bad usage %j with exit 2', async (argv) => {
    expect((await run(argv)).code).toBe(2);
  });
});
