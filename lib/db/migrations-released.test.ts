/**
 * A migration that has been applied anywhere must never change: `db:migrate` refuses a database whose
 * recorded checksum differs, so an edited migration stops every existing install at its next start (it
 * happened once: a landed migration was edited to fix a lock order). Each migration's checksum is listed
 * here when it is added; a change to a listed one fails this test. Fix forward with a new migration.
 */
import { describe, expect, it } from 'vitest';
import { readMigrations } from './migrate';
import { migrationsDir } from './paths';

const RELEASED: ReadonlyArray<readonly [name: string, sha256: string]> = [
  ['20261127000000_app_tables', 'be2c502b310fbf8ea2f483ed653ce8af8316fb3e37836d8961769314a6dc4197'],
  ['20261127000100_flow_tables', 'aaf1d1710c0a4f3862f37a7bbbc0899dd6a6ea564993a767528b89577c34e6c6'],
  ['20261127000200_raw_batches', '04aefce47121a745393da605dd2485dd87169312424d67578b75755e4c172c6c'],
  ['20261127000250_rollup_deltas', '640f69a21a59a26ef38de2f37a2418edda2ec557c0a8b129af25960d7529777e'],
  ['20261127000300_flow_explorer_indexes', 'a24b242b4820a40690bcfe0803eb049c05b96565687d7b9bdf9ac7a2df495b9d'],
  ['20261127000400_genai_rules', '1a1999ba8e1e2d78d356d9afea3bfe69d2602d34f455bb6195cadd9a9f1fbea8'],
  ['20261127000500_posture_snapshots', '3494cf14ddb7ac1419dce0a29181a9ab1ce83e097d6cffc659b4b3d5b40535ee'],
  ['20261127000600_settings_retention', '175c004ce8568aeb9c8f11e674c9066fdb02cc34a759d31fa275c7e3b40b6809'],
  ['20261127000700_raw_batches_storage', 'a9a756e1886be69ead03abce7ee17fd22a24f229159bdac52d044f21ecddbf07'],
  ['20261128000200_rollups_from_flows', '28aa329ce245e4f3495d7904d558aabbe7719d6217bf832b8386faf0ab8a8bc0'],
  ['20261128000300_raw_batches_brotli', '825cdb943bab24a93c388a49ea1de6bc958cd010f069f93493a2eeff5f38449e'],
  ['20261128000400_pending_rollup_by_batch', '9538a75a1882f7eed2e02b9a67fc7a6047edab78c1f65bfab5ede6da9d99a5f9'],
  ['20261128000500_rollup_lock_order', 'b113fdbd3d837864e9c2b94ecb5b3e31dd160a6d78176fcff1a6ad4dd89d37b7'],
];

describe('migrations', () => {
  it('are listed with their checksums, and none listed has changed or gone', () => {
    const onDisk = readMigrations(migrationsDir).map((migration) => [migration.name, migration.checksum] as const);
    expect(onDisk).toEqual(RELEASED);
  });
});
