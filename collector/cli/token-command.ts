/**
 * `flowlens token create --cluster NAME [--name N]` — mints a collector token for a cluster (registering
 * the cluster if new) straight in the database (DATABASE_URL, or the embedded database `npm start`
 * runs, found the way the collector finds it). Prints the token once; only its SHA-256 is stored.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollectorToken } from '../../lib/db/collector-tokens';
import { createSql } from '../../lib/db/sql';
import { ConfigError, loadCollectorConfig } from '../config';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const USAGE = 'usage: flowlens token create --cluster NAME [--name TOKEN_NAME]';

export async function tokenCommand(args: string[]): Promise<number> {
  let cluster: string | undefined;
  let name = 'cli';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => inline ?? args[++i] ?? '';
    if (flag === '--cluster') cluster = value();
    else if (flag === '--name') name = value();
    else {
      process.stderr.write(`flowlens token create: unexpected ${arg}\n${USAGE}\n`);
      return 2;
    }
  }
  if (!cluster || !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(cluster) || name.trim() === '' || name.length > 64) {
    process.stderr.write(`flowlens token create: --cluster must be a DNS label and --name 1-64 characters\n${USAGE}\n`);
    return 2;
  }
  let databaseUrl: string;
  try {
    databaseUrl = loadCollectorConfig([], process.env, repoRoot).databaseUrl;
  } catch (error) {
    process.stderr.write(`flowlens token create: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 2;
  }
  const sql = createSql(databaseUrl, { max: 1, applicationName: 'flowlens-cli' });
  try {
    const created = await createCollectorToken(sql, { clusterName: cluster, tokenName: name.trim(), createdBy: `cli:${process.env.USER ?? 'unknown'}` });
    await sql`insert into audit_log (action, actor_name, target, details) values ('token.create', ${`cli:${process.env.USER ?? 'unknown'}`}, ${`${cluster}/${created.prefix}`}, ${sql.json({ name: name.trim(), via: 'cli' })})`;
    process.stderr.write(`collector token for cluster ${cluster} (shown once; store it now):\n`);
    process.stdout.write(`${created.token}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`flowlens token create: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await sql.end({ timeout: 2 });
  }
}
