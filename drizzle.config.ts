import { defineConfig } from 'drizzle-kit';

// Core owns the user and exchange-rate tables; each plugin its own tables.ts.
export default defineConfig({
  dialect: 'turso',
  schema: ['./core/**/tables.ts', './plugins/*/tables.ts'],
  out: './migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'file:./data/expenseflow.db' },
});
