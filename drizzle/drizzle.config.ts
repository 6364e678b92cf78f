import { defineConfig } from 'drizzle-kit';

// `npm run generate -w @curio/schema -- --name <what_changed>` writes a migration from the schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  strict: true,
  verbose: true,
});
