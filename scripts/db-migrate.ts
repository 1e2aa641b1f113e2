/**
 * `npm run db:migrate` — applies prisma/migrations to DATABASE_URL (or the embedded PostgreSQL).
 * `--ensure-admin` also creates the first `admin` user when there is none (password printed once and
 * written to <data dir>/admin-password), as `npm start` does; docker-compose's migrate service uses it.
 */
import { ensureAdminUser } from '../lib/auth/ensure-admin-user';
import { createSql } from '../lib/db/sql';
import { migrateDatabase, readMigrations } from '../lib/db/migrate';
import { dataDir, migrationsDir } from '../lib/db/paths';
import { resolveDatabase } from '../lib/db/resolve-database';

const database = await resolveDatabase({ dataDir: dataDir(), log: () => {} });
const sql = createSql(database.url, { max: 1, applicationName: 'flowlens-migrate' });
let exitCode = 0;
try {
  const result = await migrateDatabase(sql, readMigrations(migrationsDir), (message) => console.log(message));
  console.log(
    result.applied.length === 0
      ? `database is up to date (${result.alreadyApplied} migrations applied earlier)`
      : `applied ${result.applied.length} migration(s); ${result.alreadyApplied} were already applied`,
  );
  if (process.argv.includes('--ensure-admin')) {
    const admin = await ensureAdminUser({ sql, dataDir: dataDir() });
    console.log(
      admin.created && admin.password
        ? `created user "admin" with password ${admin.password} (also in ${admin.passwordFile})`
        : 'an admin user exists already',
    );
  }
} catch (error) {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await sql.end();
  await database.embedded?.stop();
}
process.exit(exitCode);
