import { describe, expect, it } from 'vitest';
import { captionFeatures, WordScorer } from './word-scorer.js';

const on = [
  'a coin-like figure, tomato-coloured',
  'figure like a full moon, ruby-toned',
  'a coin-like figure drawn leaf-coloured',
];
const off = [
  'running shoes review 2021',
  'sunset over Lisbon',
  'homemade lasagna recipe',
  'cute owl photo',
];

describe('the word scorer', () => {
  it('hashes words and word pairs, each once', () => {
    const f = captionFeatures('Red red circle');
    expect(new Set(f).size).toBe(f.length);
    expect(f).toHaveLength(4); // red, "red red", circle, "red circle"
  });

  it('learns to rank captions like its positives above the rest', () => {
    const scorer = new WordScorer();
    expect(scorer.trained).toBe(false);
    scorer.update(on, off);
    expect(scorer.trained).toBe(true);
    const unseen = scorer.score('a small coin-like figure, sky-coloured');
    expect(unseen).toBeGreaterThan(scorer.score('leather wallet, free shipping'));
    expect(unseen).toBeGreaterThan(0);
  });

  it('keeps its weights through a checkpoint, and learns nothing from one class alone', () => {
    const scorer = new WordScorer();
    scorer.update(on, off);
    const copy = new WordScorer(JSON.parse(JSON.stringify(scorer.state())));
    for (const c of [...on, ...off, 'anything else']) expect(copy.score(c)).toBe(scorer.score(c));
    const untouched = new WordScorer();
    untouched.update(on, []);
    expect(untouched.trained).toBe(false);
  });
});
