import { describe, expect, it } from 'vitest';
import { parseRunSpec, textTowerTrained } from './run-spec.js';

const minimal = {
  pool: { sources: [{ name: 'web', shards: ['data/pool'] }] },
  metadata: { names: ['red circle'] },
  stop: { maxSteps: 10 },
};

describe('parseRunSpec', () => {
  it('fills the METHODS.md defaults', () => {
    const spec = parseRunSpec(minimal);
    expect(spec.curation.threshold).toBe(0.55);
    expect(spec.curation.bootstrap).toBe('lexical');
    const pretrained = parseRunSpec({ ...minimal, model: { text: { init: 'ckpt/000100' } } });
    expect(pretrained.curation.bootstrap).toBe('lexical');
    expect([textTowerTrained(spec), textTowerTrained(pretrained)]).toEqual([false, true]);
    expect(spec.training.batchSize).toBe(128);
    expect(spec.model.preset).toBe('tiny');
    expect(spec.metadata.templates).toEqual(['{}']);
  });

  it('names the invalid field', () => {
    expect(() => parseRunSpec({ ...minimal, curation: { threshold: 3 } })).toThrow(
      /curation\.threshold/,
    );
    expect(() => parseRunSpec({ ...minimal, stop: {} })).toThrow(/stop\.maxSteps/);
    expect(() => parseRunSpec({ ...minimal, metadata: {} })).toThrow(/metadata\.names/);
  });

  it('takes a tower init as a path or a checkpoint reference, and nothing else', () => {
    const init = (value: unknown) =>
      parseRunSpec({ ...minimal, model: { image: { init: value } } });
    expect(init('runs/a/checkpoints').model.image.init).toBe('runs/a/checkpoints');
    expect(init({ checkpoint: 'ckpt_1' }).model.image.init).toEqual({ checkpoint: 'ckpt_1' });
    expect(init({ run: 'run_1', step: 40 }).model.image.init).toEqual({ run: 'run_1', step: 40 });
    expect(init({ run: 'run_1' }).model.image.init).toEqual({ run: 'run_1' });
    for (const bad of [
      {},
      { checkpoint: 'a', run: 'b' },
      { run: 'r', step: -1 },
      { checkpoint: 'ckpt_1\u0000' },
      '',
    ])
      expect(() => init(bad), JSON.stringify(bad)).toThrow(/model\.image\.init/);
  });

  it('refuses a sub-batch that does not divide the batch', () => {
    expect(() => parseRunSpec({ ...minimal, training: { batchSize: 100, subBatch: 30 } })).toThrow(
      /training\.subBatch/,
    );
  });
});

describe('training.sourceWeights', () => {
  const twoSources = {
    ...minimal,
    pool: {
      sources: [
        { name: 'web', shards: ['data/web'] },
        { name: 'alt', shards: ['data/alt'] },
      ],
    },
    curation: { mode: 'none' },
  };
  const adaptive = (over: object = {}) => ({
    ...twoSources,
    training: { sourceWeights: { mode: 'adaptive', ...over } },
  });

  it('defaults to size-proportional weights; adaptive takes our defaults', () => {
    expect(parseRunSpec(minimal).training.sourceWeights.mode).toBe('proportional');
    expect(parseRunSpec(adaptive()).training.sourceWeights).toEqual({
      mode: 'adaptive',
      interval: 50,
      eta: 100,
      smoothing: 0.3,
      floor: 0.15,
      chanceMargin: 0.01,
      heldOut: 256,
    });
  });

  it('names the invalid setting', () => {
    expect(() => parseRunSpec(adaptive({ floor: 0 }))).toThrow(/training\.sourceWeights\.floor/);
    expect(() => parseRunSpec(adaptive({ eta: -1 }))).toThrow(/training\.sourceWeights\.eta/);
    expect(() => parseRunSpec(adaptive({ interval: 0 }))).toThrow(
      /training\.sourceWeights\.interval/,
    );
    expect(() => parseRunSpec(adaptive({ heldOut: 1 }))).toThrow(
      /training\.sourceWeights\.heldOut/,
    );
    expect(() => parseRunSpec(adaptive({ mode: 'greedy' }))).toThrow(
      /training\.sourceWeights\.mode/,
    );
  });

  it('refuses adaptive weights where sources are not drawn by weight', () => {
    expect(() => parseRunSpec({ ...adaptive(), curation: { mode: 'cit' } })).toThrow(
      /sourceWeights\.mode adaptive needs curation\.mode none \(got cit\)/,
    );
    const sequential = adaptive();
    sequential.training = { ...sequential.training, sampling: 'sequential' } as never;
    expect(() => parseRunSpec(sequential)).toThrow(/needs training\.sampling debiased or mixed/);
    expect(() => parseRunSpec({ ...adaptive(), pool: minimal.pool })).toThrow(
      /needs at least two pool sources/,
    );
  });
});

describe('unknown fields', () => {
  it('are refused, naming where they are', () => {
    expect(() => parseRunSpec({ ...minimal, curation: { treshold: 0.5 } })).toThrow(
      /curation: Unrecognized key: "treshold"/,
    );
  });
});

describe('model.*.tokenLearner', () => {
  const withModel = (model: unknown) => parseRunSpec({ ...minimal, model });

  it('is off by default and kept as given', () => {
    expect(parseRunSpec(minimal).model.image.tokenLearner).toBeUndefined();
    const spec = withModel({ preset: 'small', image: { tokenLearner: { at: 3, tokens: 8 } } });
    expect(spec.model.image.tokenLearner).toEqual({ at: 3, tokens: 8 });
  });

  it("refuses a position past the preset's depth and too many tokens, naming the field", () => {
    expect(() => withModel({ image: { tokenLearner: { at: 5, tokens: 8 } } })).toThrow(
      /model\.image\.tokenLearner: at \(5\) must be at most the tower's depth \(4\) \(preset tiny\)/,
    );
    expect(() => withModel({ text: { tokenLearner: { at: 2, tokens: 32 } } })).toThrow(
      /model\.text\.tokenLearner: tokens \(32\) must be fewer than the 32 positions/,
    );
    expect(() => withModel({ image: { tokenLearner: { at: 2, tokens: 0 } } })).toThrow(
      /model\.image\.tokenLearner\.tokens/,
    );
    expect(() => withModel({ image: { tokenLearner: { at: 2 } } })).toThrow(
      /model\.image\.tokenLearner\.tokens/,
    );
  });

  it('refuses eot pooling with a text token learner', () => {
    expect(() =>
      withModel({ textPooling: 'eot', text: { tokenLearner: { at: 2, tokens: 8 } } }),
    ).toThrow(/model\.textPooling: eot pooling needs the end-of-text position/);
  });

  it('is refused in a growth run (the parent decides the architecture)', () => {
    expect(() =>
      parseRunSpec({
        ...minimal,
        model: { image: { tokenLearner: { at: 2, tokens: 8 } } },
        growth: { parent: 'runs/a' },
      }),
    ).toThrow(/growth run keeps growth\.parent's architecture/);
  });
});

describe('model.joint', () => {
  const withModel = (model: unknown, training: unknown = {}) =>
    parseRunSpec({ ...minimal, model, training });

  it('is off by default; given, it fills its defaults', () => {
    expect(parseRunSpec(minimal).model.joint).toBeUndefined();
    expect(withModel({ joint: {} }).model.joint).toEqual({
      tokens: 8,
      stages: 2,
      lossWeight: 1,
      negatives: 'random',
    });
  });

  it('refuses a preset whose towers differ in width, more tokens than the image’s, unknown fields', () => {
    expect(() => withModel({ preset: 'base', joint: {} })).toThrow(
      /model\.joint: the joint sequence needs towers of one width/,
    );
    expect(() => withModel({ joint: { token: 8 } })).toThrow(/model\.joint/);
    expect(() => withModel({ joint: { tokens: 65 } })).toThrow(
      /model\.joint\.tokens: tokens \(65\) must be at most the image tower's 64 tokens/,
    );
    expect(withModel({ joint: { tokens: 64 } }).model.joint?.tokens).toBe(64);
    expect(() =>
      withModel({ image: { tokenLearner: { at: 2, tokens: 8 } }, joint: { tokens: 9 } }),
    ).toThrow(/at most the image tower's 8 tokens/);
  });

  it('is refused with DGA and mixup (its loss needs the whole unmixed batch)', () => {
    expect(() => withModel({ joint: {} }, { batchSize: 8, subBatch: 4 })).toThrow(
      /model\.joint cannot be used with training\.subBatch/,
    );
    expect(() => withModel({ joint: {} }, { mixup: { enabled: true } })).toThrow(
      /model\.joint cannot be used with training\.mixup/,
    );
  });

  it('is what curation.pairScore joint needs', () => {
    expect(parseRunSpec(minimal).curation.pairScore).toBe('cosine');
    const curation = { pairScore: 'joint' };
    expect(() => parseRunSpec({ ...minimal, curation })).toThrow(
      /curation\.pairScore joint needs model\.joint/,
    );
    expect(parseRunSpec({ ...minimal, curation, model: { joint: {} } }).curation.pairScore).toBe(
      'joint',
    );
  });
});
