import { readFile } from 'node:fs/promises';
import { FLOW_FORMATS, parseFlowBatch, serializeNativeFlow, type FlowFormat } from '../../core/flow';

const USAGE = 'usage: flowlens parse FILE [--format calico|goldmane|hubble|vpc|native] [--vpc-fields "a b c"] [--cluster NAME]';

interface ParseArgs {
  file: string;
  format?: FlowFormat;
  vpcFields?: string[];
  clusterId: string;
}

/** Parses argv; returns a message string on bad usage. */
function parseArgs(args: string[]): ParseArgs | string {
  const parsed: ParseArgs = { file: '-', clusterId: 'default' };
  let fileSeen = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--format') {
      const format = value();
      if (!FLOW_FORMATS.includes(format as FlowFormat)) return `--format must be one of ${FLOW_FORMATS.join('|')}, got ${format ?? 'nothing'}`;
      parsed.format = format as FlowFormat;
    } else if (flag === '--vpc-fields') {
      const fields = value();
      if (!fields || fields.trim() === '') return '--vpc-fields needs a space-separated field list';
      parsed.vpcFields = fields.trim().split(/\s+/);
    } else if (flag === '--cluster') {
      const cluster = value();
      if (!cluster) return '--cluster needs a name';
      parsed.clusterId = cluster;
    } else if (flag.startsWith('--')) {
      return `unknown option ${flag}`;
    } else if (!fileSeen) {
      parsed.file = arg;
      fileSeen = true;
    } else {
      return `unexpected argument ${arg}`;
    }
  }
  return parsed;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `flowlens parse FILE`: canonical records as native NDJSON on stdout, one `line N: reason` per bad input
 * line on stderr. Exit 1 when any line failed (or the file cannot be read), 2 on bad usage, else 0.
 */
export async function parseCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`flowlens parse: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = parsed.file === '-' ? await readStdin() : await readFile(parsed.file, 'utf8');
  } catch (error) {
    process.stderr.write(`flowlens parse: cannot read ${parsed.file}: ${(error as Error).message}\n`);
    return 1;
  }
  const result = parseFlowBatch(text, { clusterId: parsed.clusterId, format: parsed.format, vpcFields: parsed.vpcFields });
  const out: string[] = [];
  for (const { flow } of result.flows) out.push(serializeNativeFlow(flow));
  if (out.length > 0) await write(process.stdout, `${out.join('\n')}\n`);
  if (result.errors.length > 0) {
    await write(process.stderr, result.errors.map((error) => `line ${error.line}: ${error.kind}: ${error.message}`).join('\n') + '\n');
  }
  return result.errors.length > 0 ? 1 : 0;
}

/** Writes and waits for the drain so output is complete before the exit code is set. */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}
