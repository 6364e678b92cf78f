import { describe, expect, it } from 'vitest';
import { createLexicalMatcher, words } from './lexical.js';
import { scoreHistogram, selectByThreshold, topK } from './rule.js';
import { decideChunk, type DecideSettings } from './decide.js';
import { aucAbove } from './stats.js';

const paper: DecideSettings = {
  threshold: 0.55,
  minRatio: 0.25,
  bootstrap: 'none',
};

describe('CiT threshold rule', () => {
  it('keeps captions scoring strictly above the threshold', () => {
    const r = selectByThreshold([0.9, 0.55, 0.6, 0.1], 0.55, 0.25);
    expect(r).toEqual({ kept: [0, 2], gammaFired: false });
  });

  it('falls back to the top ⌈γ·chunk⌉ when too few pass', () => {
    // 8 captions, γ = 0.3 → at least ⌈2.4⌉ = 3 must be kept; only one passes t.
    const scores = [0.1, 0.9, 0.3, 0.2, 0.5, 0.4, 0.0, -0.2];
    const r = selectByThreshold(scores, 0.55, 0.3);
    expect(r.gammaFired).toBe(true);
    expect(r.kept).toEqual([1, 4, 5]);
  });

  it('topK breaks ties by position and returns chunk order', () => {
    expect(topK([0.5, 0.7, 0.5, 0.7], 3)).toEqual([0, 1, 3]);
  });

  it('histograms scores over [-1, 1]', () => {
    const h = scoreHistogram([-1, -0.01, 0, 0.99, 1], 4);
    expect(h).toEqual([1, 1, 1, 2]);
  });
});

describe('lexical matching', () => {
  const m = createLexicalMatcher([['red circle', 'crimson ring'], ['blue square']]);
  it('matches whole-word phrases and synonyms, case- and punctuation-insensitive', () => {
    expect(m.match('A RED circle, drawn by hand')).toBe(0);
    expect(m.match('photo: crimson-ring on white')).toBe(0);
    expect(m.match('my blue square!')).toBe(1);
  });
  it("matches a form's words in any order when they are close together", () => {
    expect(m.match('circle red')).toBe(0);
    expect(m.match('the circle is painted red')).toBe(0);
    expect(m.match('square shape (blue), free download')).toBe(1);
  });
  it('does not match inside words, words far apart, or part of a form', () => {
    expect(m.match('a reddish circled thing')).toBe(-1);
    expect(m.match('red carpet arrivals at the gala, then a circle of friends')).toBe(-1);
    expect(m.match('a red car')).toBe(-1);
  });
  it('splits words on punctuation and accents', () => {
    expect(words('Café-au-lait, NO.5')).toEqual(['cafe', 'au', 'lait', 'no', '5']);
  });
});

describe('decideChunk', () => {
  const scores = [0.9, 0.2, 0.8, 0.1, 0.7, 0.6];
  const hits = [true, false, false, false, false, false];

  it('follows the paper rule when bootstrap is none', () => {
    expect(decideChunk(scores, hits, paper)).toMatchObject({
      kept: [0, 2, 4, 5],
      scorer: 'threshold',
    });
  });

  it('keeps lexical hits alone while the tower is cold', () => {
    const s = { ...paper, bootstrap: 'lexical' as const, minRatio: 0.1 };
    expect(decideChunk(scores, hits, s)).toEqual({
      kept: [0],
      scorer: 'lexical',
      gammaFired: false,
    });
  });

  it('keeps data flowing with γ when a cold chunk has too few hits', () => {
    const s = { ...paper, bootstrap: 'lexical' as const, minRatio: 0.5 };
    const r = decideChunk(scores, hits, s);
    expect(r.gammaFired).toBe(true);
    expect(r.kept).toEqual([0, 2, 4]);
  });

  it('uses a top fraction instead of the threshold when set', () => {
    const r = decideChunk(scores, hits, { ...paper, topFraction: 0.5 });
    expect(r).toEqual({ kept: [0, 2, 4], scorer: 'top-fraction', gammaFired: false });
  });
});

describe('aucAbove', () => {
  it('is 1 when every hit outscores every miss, 0 when reversed, 0.5 for ties', () => {
    expect(aucAbove([0.9, 0.8], [0.1])).toBe(1);
    expect(aucAbove([0.1], [0.9])).toBe(0);
    expect(aucAbove([0.1], [0.3, 0.5])).toBe(0);
    expect(Number.isNaN(aucAbove([0.3], []))).toBe(true);
  });
});
