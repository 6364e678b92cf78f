// The API reporter against an in-memory WorkerApi, on fake timers: batching of points and
// events, curation rounds and growth steps, checkpoints and the evaluations of their step.
import { GrowthStepData, WorkerCheckpoint } from '@curio/contracts';
import { describe, expect, it, vi } from 'vitest';
import type { CurationRoundStats } from '../curation/curator.js';
import {
  evalReport,
  memoryApi,
  reporter,
  stepReport,
  useFakeTimersAndClose,
} from './api-reporter.fixtures.js';

useFakeTimersAndClose();

describe('ApiReporter: what it sends', () => {
  it('buffers metric points and sends them every few seconds, or at once when enough wait', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    for (let s = 1; s <= 3; s++) r.step(stepReport(s));
    r.log('hello', { k: 1 });
    await vi.advanceTimersByTimeAsync(2900);
    expect(sent.metrics).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.metrics).toHaveLength(1);
    const names = (step: number) =>
      sent.metrics[0]!.filter((p) => p.step === step).map((p) => p.name);
    expect(names(1)).toEqual([
      'loss',
      'lr',
      'temperature',
      'grad_norm',
      'samples_per_sec',
      'gflop_per_sec',
    ]);
    // NaN grad norm left out
    expect(names(2)).toEqual([
      'loss',
      'lr',
      'temperature',
      'samples_per_sec',
      'gflop_per_sec',
      'curation_ratio',
    ]);
    const temperature = sent.metrics[0]!.find((p) => p.step === 3 && p.name === 'temperature');
    expect(temperature?.value).toBe(stepReport(3).temperature);
    expect(sent.events).toEqual([[{ type: 'log', message: 'hello', data: { k: 1 } }]]);
    for (let s = 4; s <= 8; s++) r.step(stepReport(s)); // 5 × 7 = 35 points < 40
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.metrics).toHaveLength(1);
    r.step(stepReport(9)); // 42 ≥ 40: sent at once
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.metrics).toHaveLength(2);
    expect(sent.metrics[1]).toHaveLength(42);
  });

  it('sends adaptive source weights as one source_weight:<source> point per source', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    r.step({ ...stepReport(1), sourceWeights: { web: 0.7, 'noisy crawl': 0.3 } });
    r.step(stepReport(2));
    await vi.advanceTimersByTimeAsync(3000);
    const weights = sent.metrics
      .flat()
      .filter((p) => p.name.startsWith('source_weight:'))
      .map((p) => [p.step, p.name, p.value]);
    expect(weights).toEqual([
      [1, 'source_weight:web', 0.7],
      [1, 'source_weight:noisy crawl', 0.3],
    ]);
  });

  it('sends log text the store can hold: a cut UTF-16 pair and NUL become U+FFFD', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    const long = 'x'.repeat(9_999) + '\ud83d\ude00'; // the 10,000-character cut halves the pair
    r.log(long, { caption: 'a\0b', ['k\ud800']: ['\udc00'] });
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.events[0]).toEqual([
      {
        type: 'log',
        message: 'x'.repeat(9_999) + '\ufffd',
        data: { caption: 'a\ufffdb', ['k\ufffd']: ['\ufffd'] },
      },
    ]);
  });

  it('keeps points that could not be sent and sends them later, in order', async () => {
    const { api, sent, state } = memoryApi();
    const r = reporter(api);
    state.metricsFailures = 1;
    r.step(stepReport(1));
    await vi.advanceTimersByTimeAsync(3000);
    r.step(stepReport(2));
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.metrics.flat().map((p) => p.step)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('sends curation rounds as events with their stats', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    const stats = {
      round: 1,
      scanned: 100,
      kept: 25,
      ratio: 0.25,
      keptOnTarget: 0.8,
      lexicalHits: 30,
      lexicalAgreement: null,
      smoothedAgreement: null,
      warm: false,
      gammaFired: false,
      steps: 10,
      seconds: 1.5,
    } as CurationRoundStats;
    r.curation(10, stats);
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.events[0]).toEqual([
      {
        type: 'curation',
        message:
          'curation round 1 @ step 10: kept 25/100 (25.0%), 30 lexical hits, 80.0% on target, agreement —, 10 steps, 1.5s',
        data: { step: 10, ...stats },
      },
    ]);
    expect(sent.metrics[0]).toEqual([{ step: 10, name: 'curation_on_target', value: 0.8 }]);
  });

  it('sends a growth step as a growth event that validates, and the parent with each checkpoint', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    const candidate = {
      name: 'text+1block',
      operator: 'addBlocks' as const,
      architecture: { name: 'tiny/text+1block' },
      gflopsPerSample: 0.2,
      params: 900,
      score: 2.5,
      proxySteps: 5,
      seconds: 1.5,
    };
    const growth = {
      step: 0,
      parentCheckpoint: 'ck_parent',
      parentArchitecture: { name: 'tiny' },
      parentGflopsPerSample: 0.16,
      parentParams: 800,
      parentScore: 2.7,
      score: 'contrastive-loss' as const,
      momentum: 0.9,
      candidates: [candidate],
      chosen: 0,
    };
    r.growth(growth);
    await r.checkpoint({
      step: 2,
      key: 'checkpoints/00000002',
      sizeBytes: 1,
      parentCheckpoint: 'ck_parent',
    });
    await vi.advanceTimersByTimeAsync(3000);
    const event = sent.events.flat().find((e) => e.type === 'growth')!;
    expect(event.message).toBe(
      'growth @ step 0: 1 candidates, chose text+1block (contrastive-loss 2.5000)',
    );
    expect(GrowthStepData.parse(event.data)).toEqual(growth);
    expect(sent.checkpoints[0]).toMatchObject({ step: 2, parentCheckpoint: 'ck_parent' });
    expect(WorkerCheckpoint.safeParse(sent.checkpoints[0]).success).toBe(true);
  });

  it('posts a checkpoint with its architecture, then the evaluations of that step with its key', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    r.step(stepReport(5));
    r.evaluation(evalReport(5));
    await r.checkpoint({ step: 5, key: 'checkpoints/00000005', sizeBytes: 1234 });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.checkpoints).toEqual([
      {
        step: 5,
        key: 'checkpoints/00000005',
        sizeBytes: 1234,
        architecture: { preset: 'tiny', key: 'checkpoints/00000005' },
      },
    ]);
    expect(sent.evaluations).toEqual([
      {
        step: 5,
        evalSet: 'shapes',
        checkpointKey: 'checkpoints/00000005',
        metrics: { zeroShot: { top1: 0.4, top5: 0.9, n: 12 } },
        elapsedSeconds: 10,
      },
    ]);
    // An evaluation with no checkpoint at its step goes out with the next step, without a key.
    r.evaluation(evalReport(7));
    r.step(stepReport(8));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.evaluations[1]).toMatchObject({ step: 7 });
    expect(sent.evaluations[1]!.checkpointKey).toBeUndefined();
    expect(sent.order.slice(0, 3)).toEqual(['metrics', 'checkpoint', 'evaluation 5']); // points up to a checkpoint go first
  });
});
