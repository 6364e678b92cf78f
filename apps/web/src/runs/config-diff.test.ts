import { describe, expect, it } from 'vitest';
import { diffRows, flatten } from './config-diff.js';

describe('config diff', () => {
  it('flattens nested objects and arrays to dotted paths', () => {
    expect([...flatten({ a: { b: 1 }, c: [2, 'x'], d: null, e: {} })]).toEqual([
      ['a.b', '1'],
      ['c.0', '2'],
      ['c.1', '"x"'],
      ['d', 'null'],
      ['e', '{}'],
    ]);
  });

  it('marks the paths whose values differ, including one config lacking a path', () => {
    const rows = diffRows([
      { curation: { mode: 'cit', threshold: 0.5 }, seed: 1 },
      { curation: { mode: 'none', threshold: 0.5 } },
    ]);
    expect(rows).toEqual([
      { path: 'curation.mode', values: ['"cit"', '"none"'], differs: true },
      { path: 'curation.threshold', values: ['0.5', '0.5'], differs: false },
      { path: 'seed', values: ['1', undefined], differs: true },
    ]);
  });
});
