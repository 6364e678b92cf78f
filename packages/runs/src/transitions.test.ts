import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, RUN_STATUSES, isFinalStatus } from './statuses';
import { TRANSITIONS, isAllowedTransition, refusal } from './transitions';

describe('the transitions table', () => {
  it('has a row for every status and only names known statuses', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...RUN_STATUSES].sort());
    for (const targets of Object.values(TRANSITIONS)) {
      for (const to of targets) expect(RUN_STATUSES).toContain(to);
    }
  });

  it('lets nothing leave succeeded or canceled, and failed only back to queued', () => {
    expect(TRANSITIONS.succeeded).toEqual([]);
    expect(TRANSITIONS.canceled).toEqual([]);
    expect(TRANSITIONS.failed).toEqual(['queued']);
    expect(FINAL_STATUSES.every(isFinalStatus)).toBe(true);
  });

  it('never allows a status to move to itself', () => {
    for (const s of RUN_STATUSES) expect(isAllowedTransition(s, s)).toBe(false);
  });

  it('names from and to when it refuses', () => {
    expect(refusal('succeeded', 'running', { attempt: 1, maxAttempts: 3 })).toBe(
      'succeeded → running is not an allowed transition (succeeded is final)',
    );
    expect(refusal('queued', 'running', { attempt: 0, maxAttempts: 3 })).toMatch(
      /^queued → running is not an allowed transition \(from queued a run may go to dispatching, canceled\)$/,
    );
  });

  it('allows a retry only with attempts left', () => {
    expect(refusal('failed', 'queued', { attempt: 2, maxAttempts: 3 })).toBeNull();
    expect(refusal('failed', 'queued', { attempt: 3, maxAttempts: 3 })).toMatch(/attempt 3 of 3/);
  });
});
