// The test environment: a PostgreSQL server URL to run database tests on, or none for PGlite.
import { z } from 'zod';

const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export const env = Env.parse(process.env);
