import { defineConfig } from 'prisma/config';

// Prisma is used for app data only (users, sessions, clusters, tokens, inventory, audit).
// Migrations are plain SQL in prisma/migrations and applied by `npm run db:migrate`
// (scripts/db-migrate.ts), which records them in _prisma_migrations like Prisma Migrate does.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://flowlens@localhost:5432/flowlens' },
});
