import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    projects: [
      {
        // `server-only` throws outside Next's server bundle; under vitest it is an empty module.
        resolve: { alias: { '@': root, 'server-only': `${root}lib/testing/server-only-stub.ts` } },
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'collector/**/*.test.ts', 'lib/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        resolve: { alias: { '@': root } },
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          environment: 'node',
          globalSetup: ['lib/testing/integration-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
