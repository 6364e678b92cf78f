// Where the generated SQL migrations live (node only: kept out of the browser-safe index).
import { fileURLToPath } from 'node:url';

/** Absolute path of `drizzle/migrations` (SQL files and `meta/_journal.json`). */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
