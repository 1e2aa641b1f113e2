/**
 * A process that holds an embedded PostgreSQL the way `npm start` does, for the shutdown-order test:
 *   node --import tsx lib/testing/hold-embedded-postgres.ts <dataDir> <port> <caller|package>
 * `caller`: the server is stopped by this process's own SIGINT handler, after it has shown that the
 * server still answers (as the launcher stops its services before the database). `package`: no
 * handler of its own (a benchmark or test run), the process exits on the signal.
 */
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { createSql } from '../db/sql';

const [dataDir, portText, mode] = process.argv.slice(2);
if (!dataDir || !portText || (mode !== 'caller' && mode !== 'package')) {
  console.error('usage: hold-embedded-postgres.ts <dataDir> <port> <caller|package>');
  process.exit(2);
}
const database = await startEmbeddedPostgres({ dataDir, port: Number(portText), database: 'postgres', stoppedByCaller: mode === 'caller' });
if (mode === 'caller') {
  process.on('SIGINT', () => {
    void (async () => {
      // What a collector finishing its last batch does after the Ctrl-C.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sql = createSql(database.url, { max: 1 });
      try {
        const rows = await sql<{ answer: number }[]>`select 42 as answer`;
        console.log(`query after SIGINT: ${rows[0]?.answer === 42 ? 'ok' : 'wrong answer'}`);
      } catch (error) {
        console.log(`query after SIGINT failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await sql.end({ timeout: 1 });
      }
      await database.stop();
      console.log('stopped');
      process.exit(0);
    })();
  });
}
console.log('ready');
// Held until a signal arrives.
setInterval(() => {}, 60_000);
