import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadManifestDocuments } from '../../core/inventory';
import { computeConnlist, formatConnlistJson, formatConnlistText } from '../../core/policy';
import { listManifestFiles } from './list-manifest-files';

/** Where the command writes; tests pass collectors, the CLI the process streams. */
export interface ConnlistCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const defaultIo: ConnlistCommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

const USAGE = `usage: flowlens connlist DIR [--format txt|json] [--explain]

Reads every .yaml/.yml/.json manifest under DIR (recursively) and prints the allowed connectivity
between workloads, external IP ranges and the ingress controller, in np-guard netpol-analyzer's
connlist form. --explain adds which policy and rule decided each pair.
`;

interface ParsedArgs {
  readonly directory: string;
  readonly format: 'txt' | 'json';
  readonly explain: boolean;
}

function parseArgs(argv: readonly string[]): { ok: true; value: ParsedArgs } | { ok: false; message: string } {
  let directory: string | undefined;
  let format: 'txt' | 'json' = 'txt';
  let explain = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--explain') explain = true;
    else if (arg === '--format' || arg === '-o' || arg.startsWith('--format=')) {
      const value = arg.startsWith('--format=') ? arg.slice('--format='.length) : argv[++index];
      if (value !== 'txt' && value !== 'json') return { ok: false, message: `--format must be txt or json, got ${value ?? 'nothing'}` };
      format = value;
    } else if (arg.startsWith('-')) return { ok: false, message: `unknown option ${arg}` };
    else if (directory === undefined) directory = arg;
    else return { ok: false, message: `unexpected argument ${arg}` };
  }
  if (directory === undefined) return { ok: false, message: 'DIR is required' };
  return { ok: true, value: { directory, format, explain } };
}

/**
 * `flowlens connlist DIR [--format txt|json] [--explain]`. Returns the exit code: 0 when every
 * document loaded, 1 when some were skipped (the connlist of the rest is still printed), 2 on usage
 * or I/O errors.
 */
export async function connlistCommand(argv: string[], io: ConnlistCommandIo = defaultIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (!args.ok) {
    io.stderr(`flowlens connlist: ${args.message}\n\n${USAGE}`);
    return 2;
  }
  const { directory, format, explain } = args.value;
  let files: string[];
  try {
    const info = await stat(directory);
    files = info.isDirectory() ? await listManifestFiles(directory) : [directory];
  } catch (error) {
    io.stderr(`flowlens connlist: cannot read ${directory}: ${(error as Error).message}\n`);
    return 2;
  }
  const manifests = await Promise.all(
    files.map(async (file) => ({ path: path.relative(directory, file) || path.basename(file), text: await readFile(file, 'utf8') })),
  );
  const { inventory, errors } = loadManifestDocuments(manifests);
  const connlist = computeConnlist(inventory);
  io.stdout(format === 'json' ? formatConnlistJson(connlist, { explain }) : formatConnlistText(connlist, { explain }));
  if (errors.length === 0) return 0;
  for (const error of errors) {
    const where = `${error.file}, document ${error.document}${error.field ? `, field ${error.field}` : ''}`;
    io.stderr(`flowlens connlist: skipped ${where}${error.object ? ` (${error.object})` : ''}: ${error.message}\n`);
  }
  const skipped = new Set(errors.map((error) => `${error.file}#${error.document}`)).size;
  io.stderr(`flowlens connlist: skipped ${skipped} document${skipped === 1 ? '' : 's'} with errors (${errors.length} error${errors.length === 1 ? '' : 's'})\n`);
  return 1;
}
