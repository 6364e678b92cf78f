import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids';

describe('newId', () => {
  it('is prefixed, 26 characters after the prefix, and recognised by isId', () => {
    const id = newId('run');
    expect(id).toMatch(/^run_[0-9a-z]{26}$/);
    expect(isId('run', id)).toBe(true);
    expect(isId('exp', id)).toBe(false);
  });

  it('sorts by creation time', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((t) =>
      newId('run', t),
    );
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('evr', 0)));
    expect(ids.size).toBe(1000);
  });
});
