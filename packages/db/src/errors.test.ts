import { describe, expect, it } from 'vitest';
import { isForeignKeyViolation, isUniqueViolation, pgError } from './errors';

describe('pgError', () => {
  it('finds the driver error under drizzle’s wrapper (postgres.js field names)', () => {
    const driver = {
      code: '23505',
      constraint_name: 'pools_team_name_uq',
      message: 'duplicate key',
    };
    const wrapped = new Error('Failed query: insert …', { cause: driver });
    expect(pgError(wrapped)).toMatchObject({ code: '23505', constraint: 'pools_team_name_uq' });
    expect(isUniqueViolation(wrapped)).toBe(true);
    expect(isUniqueViolation(wrapped, 'pools_team_name_uq')).toBe(true);
    expect(isUniqueViolation(wrapped, 'other')).toBe(false);
  });

  it('reads PGlite field names', () => {
    const driver = Object.assign(new Error('violates foreign key'), {
      code: '23503',
      constraint: 'runs_experiment_fk',
    });
    expect(isForeignKeyViolation(new Error('x', { cause: driver }), 'runs_experiment_fk')).toBe(
      true,
    );
  });

  it('is undefined for other errors', () => {
    expect(pgError(new Error('boom'))).toBeUndefined();
    expect(pgError(Object.assign(new Error('fs'), { code: 'ENOENT' }))).toBeUndefined();
    expect(pgError(undefined)).toBeUndefined();
  });
});
