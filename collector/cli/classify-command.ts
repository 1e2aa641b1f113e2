import { readFile, stat } from 'node:fs/promises';
import { classifyGenAi, formatClassification, parseGenAiRules, type GenAiRule } from '../../core/genai';
import { loadManifestDocuments, type ManifestFile } from '../../core/inventory';
import { listManifestFiles } from './list-manifest-files';

/** Where the command writes; tests pass collectors, the CLI the process streams. */
export interface ClassifyCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const defaultIo: ClassifyCommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

const USAGE = `usage: flowlens classify FILE_OR_DIR... [--rules RULES.json] [--cluster NAME]

Reads Kubernetes manifests (.yaml/.yml/.json; directories recursively) and prints, as JSON, one
object per workload: { "namespace", "name", "kind", "roles": [{ "role", "confidence", "evidence" }],
"sensitivity" }. --rules adds custom classification rules (a JSON array, as stored in settings).
`;

interface ParsedArgs {
  readonly inputs: readonly string[];
  readonly rulesFile?: string;
  readonly clusterId: string;
}

function parseArgs(argv: readonly string[]): { ok: true; value: ParsedArgs } | { ok: false; message: string } {
  const inputs: string[] = [];
  let rulesFile: string | undefined;
  let clusterId = 'default';
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--rules' || arg === '--cluster') {
      const value = argv[++index];
      if (value === undefined || value.startsWith('-')) return { ok: false, message: `${arg} needs a value` };
      if (arg === '--rules') rulesFile = value;
      else clusterId = value;
    } else if (arg.startsWith('-') && arg !== '-') return { ok: false, message: `unknown option ${arg}` };
    else inputs.push(arg);
  }
  if (inputs.length === 0) return { ok: false, message: 'FILE_OR_DIR is required' };
  return { ok: true, value: { inputs, clusterId, ...(rulesFile !== undefined ? { rulesFile } : {}) } };
}

async function readRules(file: string): Promise<{ ok: true; rules: readonly GenAiRule[] } | { ok: false; message: string }> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { ok: false, message: `cannot read rules ${file}: ${(error as Error).message}` };
  }
  const parsed = parseGenAiRules(input);
  if (parsed.ok) return { ok: true, rules: parsed.rules };
  return { ok: false, message: `invalid rules in ${file}:\n${parsed.error.issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`).join('\n')}` };
}

/**
 * `flowlens classify FILE_OR_DIR... [--rules RULES.json] [--cluster NAME]`: prints the GenAI roles
 * and sensitivity of every workload as a JSON array. Returns 0 when every document loaded, 1 when
 * some were skipped (the rest is still printed), 2 on usage, rules or I/O errors.
 */
export async function classifyCommand(argv: string[], io: ClassifyCommandIo = defaultIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (!args.ok) {
    io.stderr(`flowlens classify: ${args.message}\n\n${USAGE}`);
    return 2;
  }
  let rules: readonly GenAiRule[] = [];
  if (args.value.rulesFile !== undefined) {
    const loaded = await readRules(args.value.rulesFile);
    if (!loaded.ok) {
      io.stderr(`flowlens classify: ${loaded.message}\n`);
      return 2;
    }
    rules = loaded.rules;
  }
  const manifests: ManifestFile[] = [];
  for (const input of args.value.inputs) {
    try {
      const info = await stat(input);
      const files = info.isDirectory() ? await listManifestFiles(input) : [input];
      for (const file of files) manifests.push({ path: file, text: await readFile(file, 'utf8') });
    } catch (error) {
      io.stderr(`flowlens classify: cannot read ${input}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const { inventory, errors } = loadManifestDocuments(manifests);
  const { nodes } = classifyGenAi({ inventory, clusterId: args.value.clusterId, rules });
  io.stdout(`${JSON.stringify(formatClassification(nodes), null, 2)}\n`);
  if (errors.length === 0) return 0;
  for (const error of errors) {
    const where = `${error.file}, document ${error.document}${error.field ? `, field ${error.field}` : ''}`;
    io.stderr(`flowlens classify: skipped ${where}${error.object ? ` (${error.object})` : ''}: ${error.message}\n`);
  }
  return 1;
}
