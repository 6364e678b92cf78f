import { describe, expect, it } from 'vitest';
import { GrowthSpec, GrowthStepData } from './growth.js';
import { parseRunSpec, textTowerTrained } from './run-spec.js';

const base = {
  pool: { sources: [{ name: 'web', shards: ['/data/shard-0.tar'] }] },
  metadata: { names: ['cat'] },
  stop: { maxSteps: 10 },
};

describe('GrowthSpec', () => {
  it('fills the defaults named in METHODS.md §3 and ours', () => {
    const g = GrowthSpec.parse({ parent: { checkpoint: 'ck_1' } });
    expect(g.momentum).toBe(0.9);
    expect(g.replay).toBe(0.3);
    expect(g.operators).toEqual(['addBlocks', 'widen', 'addHeads', 'addSharedBlocks']);
    expect(g.proxy).toEqual({ steps: 50 });
    expect(g.score).toBe('contrastive-loss');
  });

  it('refuses a proxy budget with neither steps nor minutes, and a momentum above 1', () => {
    const r = GrowthSpec.safeParse({ parent: 'ck', proxy: {}, momentum: 1.5 });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['proxy.steps', 'momentum']));
  });

  it('is an optional section of the run spec; zero-shot scoring needs an eval set', () => {
    expect(parseRunSpec(base).growth).toBeUndefined();
    expect(parseRunSpec({ ...base, growth: { parent: 'ck' } }).growth?.parent).toBe('ck');
    expect(() => parseRunSpec({ ...base, growth: { parent: 'ck', score: 'zero-shot' } })).toThrow(
      /growth.score zero-shot needs an eval set/,
    );
    // CiT in a growth run: the parent's text tower is warm, so no lexical cold start by default
    const grown = parseRunSpec({ ...base, growth: { parent: 'ck' } });
    expect(grown.curation.bootstrap).toBe('lexical');
    expect(textTowerTrained(grown)).toBe(true);
    expect(textTowerTrained(parseRunSpec(base))).toBe(false);
    const both = { ...base, growth: { parent: 'ck' }, model: { text: { init: 'ck' } } };
    expect(() => parseRunSpec(both)).toThrow(/model.image.init and model.text.init must be absent/);
  });
});

describe('GrowthStepData', () => {
  const candidate = {
    name: 'image+1block',
    operator: 'addBlocks',
    architecture: { name: 'tiny+image+1block' },
    gflopsPerSample: 0.1,
    params: 1000,
    score: 2.5,
    proxySteps: 20,
    seconds: 3,
  };
  const step = {
    step: 0,
    parentCheckpoint: 'ck_1',
    parentArchitecture: { name: 'tiny' },
    parentGflopsPerSample: 0.05,
    parentParams: 800,
    score: 'contrastive-loss',
    momentum: 0.9,
    candidates: [candidate],
    chosen: 0,
  };

  it('accepts a growth step and refuses one without candidates or with an unknown operator', () => {
    expect(GrowthStepData.safeParse(step).success).toBe(true);
    expect(GrowthStepData.safeParse({ ...step, candidates: [] }).success).toBe(false);
    expect(GrowthStepData.safeParse({ ...step, chosen: 1 }).success).toBe(false);
    const bad = { ...step, candidates: [{ ...candidate, operator: 'shrink' }] };
    expect(GrowthStepData.safeParse(bad).success).toBe(false);
  });
});
