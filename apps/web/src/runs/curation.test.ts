import type { RunEvent } from '@curio/contracts';
import { describe, expect, it } from 'vitest';
import { mainScorer, mergeRounds, roundSamples, sampleImageUrl } from './curation.js';

const round = (n: number, extra: object = {}) => ({
  step: n * 5,
  round: n,
  scanned: 600,
  kept: 120,
  ratio: 0.2,
  lexicalHits: 100,
  warm: false,
  gammaFired: false,
  ...extra,
});
const event = (seq: number, data: object): RunEvent => ({
  seq,
  type: 'curation',
  fromStatus: null,
  toStatus: null,
  message: null,
  data: data as Record<string, unknown>,
  at: '2026-01-01T00:00:00Z',
});

describe('curation rounds', () => {
  it('merges stored and live rounds by round number, in order, dropping malformed ones', () => {
    const rounds = mergeRounds(
      [round(2), round(1), { round: 'x' }],
      [event(7, round(3, { histogram: [1, 2] })), event(8, round(2, { kept: 130 }))],
    );
    expect(rounds.map((r) => [r.round, r.kept])).toEqual([
      [1, 120],
      [2, 130],
      [3, 120],
    ]);
    expect(rounds[2]!.histogram).toEqual([1, 2]);
  });

  it('names the scorer that decided most chunks, or says which decided each', () => {
    const [cold, mixed] = mergeRounds(
      [round(1), round(2, { warm: true, scorers: { lexical: 1, model: 3 } })],
      [],
    );
    expect(mainScorer(cold!)).toBe('lexical');
    expect(mainScorer(mixed!)).toBe('model (3), lexical (1)');
  });

  it("gives a round's samples with where their images lie, or captions alone for older rounds", () => {
    const sample = { caption: 'a red circle', shard: '/data/pool/0 #1.tar', key: 'k/0001' };
    const [named, older] = mergeRounds(
      [round(1, { keptSamples: [sample], rejectedSamples: [] }), round(2, { keptExamples: ['x'] })],
      [],
    );
    expect(roundSamples(named!, 'kept')).toEqual([sample]);
    expect(roundSamples(named!, 'rejected')).toEqual([]);
    expect(roundSamples(older!, 'kept')).toEqual([{ caption: 'x' }]);
    expect(roundSamples(older!, 'rejected')).toEqual([]);
    const url = new URL(sampleImageUrl('run_1', sample), 'http://dashboard');
    expect(url.pathname).toBe('/v1/runs/run_1/curation/samples/image');
    expect(Object.fromEntries(url.searchParams)).toEqual({ shard: sample.shard, key: sample.key });
  });
});
