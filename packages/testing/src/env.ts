// The test environment: a PostgreSQL server URL to run database tests on, or none for PGlite.
import { z } from 'zod';

const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** `pglite` runs the database tests on PGlite even when DATABASE_URL is set (see bin/test-both.mjs). */
  CURIO_TEST_DB: z.enum(['pglite', 'postgres']).optional(),
});

const parsed = Env.parse(process.env);
/** The server the database tests use, or undefined for PGlite. */
export const env = {
  DATABASE_URL: parsed.CURIO_TEST_DB === 'pglite' ? undefined : parsed.DATABASE_URL,
};
