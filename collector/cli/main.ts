/**
 * `flowlens <subcommand> [args]` — dispatches to one async function per subcommand, each in its own file.
 * A subcommand returns the process exit code; it writes its own output.
 */
import { parseCommand } from './parse-command';

export type Subcommand = (args: string[]) => Promise<number>;

/** Add a subcommand here (e.g. `send`, `token create`, `connlist`, `classify`). Multi-word names match first. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  parse: parseCommand,
  connlist: (args) => import('./connlist-command').then((module) => module.connlistCommand(args)),
  classify: (args) => import('./classify-command').then((module) => module.classifyCommand(args)),
  'token create': (args) => import('./token-command').then((module) => module.tokenCommand(args)),
  send: (args) => import('./send-command').then((module) => module.sendCommand(args)),
};

const USAGE = `usage: flowlens <command> [options]

commands:
  parse FILE [--format F] [--vpc-fields "a b c"] [--cluster NAME]
      parse a flow log (calico, goldmane, hubble, vpc, native; detected unless --format)
      into native NDJSON on stdout; bad lines go to stderr. FILE "-" or absent reads stdin.
  send FILE --url URL --token TOKEN [--format F]
      send a flow log to a collector in gzip batches with idempotency keys, retrying on 429/503.
  token create --cluster NAME [--name N]
      mint a collector token bound to a cluster (created if new); printed once. Uses DATABASE_URL
      or the embedded database of \`npm start\`.
  connlist DIR [--format txt|json] [--explain]
      the connectivity that the NetworkPolicies / AdminNetworkPolicies under DIR allow
      (np-guard netpol-analyzer connlist format).
  classify FILE_OR_DIR… [--rules RULES.json] [--cluster NAME]
      GenAI roles (with evidence and confidence) and data sensitivity of each workload, as JSON.
`;

export async function main(argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(USAGE);
    return first === undefined ? 2 : 0;
  }
  const twoWord = second !== undefined ? SUBCOMMANDS[`${first} ${second}`] : undefined;
  if (twoWord) return twoWord(argv.slice(2));
  const command = SUBCOMMANDS[first];
  if (!command) {
    process.stderr.write(`flowlens: unknown command "${first}"\n\n${USAGE}`);
    return 2;
  }
  return command(argv.slice(1));
}
