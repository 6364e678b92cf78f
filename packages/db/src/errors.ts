// PostgreSQL errors look alike on both drivers once unwrapped: drizzle wraps a failed query in an
// error whose `cause` is the driver's (postgres.js PostgresError or PGlite DatabaseError), and
// both carry the SQLSTATE `code`; the constraint name is `constraint_name` or `constraint`.

export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_NOT_NULL_VIOLATION = '23502';

export interface PgErrorInfo {
  code: string;
  constraint?: string | undefined;
  detail?: string | undefined;
  message: string;
}

/** The PostgreSQL error inside `error` (following `cause`), or undefined if it is not one. */
export function pgError(error: unknown): PgErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const e = current as Record<string, unknown>;
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      const constraint = e.constraint_name ?? e.constraint;
      return {
        code: e.code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
        detail: typeof e.detail === 'string' ? e.detail : undefined,
        message: typeof e.message === 'string' ? e.message : String(current),
      };
    }
    current = e.cause;
  }
  return undefined;
}

/** A unique violation, optionally of the named constraint (e.g. `pools_team_name_uq`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgError(error);
  return pg?.code === PG_UNIQUE_VIOLATION && (!constraint || pg.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  const pg = pgError(error);
  return pg?.code === PG_FOREIGN_KEY_VIOLATION && (!constraint || pg.constraint === constraint);
}
