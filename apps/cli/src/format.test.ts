import type { Evaluation, Problem, Run } from '@curio/contracts';
import { describe, expect, test } from 'vitest';
import { describeProblem } from './errors.js';
import { cost, duration, percent, table } from './output.js';
import { describe as describeProgress, fraction, type ProgressState } from './progress.js';
import { printResults } from './results.js';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('describeProblem', () => {
  const problem: Problem = {
    type: 't',
    title: 'Bad Request',
    status: 400,
    detail: 'invalid request body: config.stop.maxSteps: too small',
  };
  test('the detail, naming the field', () => {
    expect(describeProblem(400, problem, 'experiments create')).toBe(
      'experiments create: 400 Bad Request: invalid request body: config.stop.maxSteps: too small',
    );
  });
  test('fields the detail does not name are added; a 401 says how to give a key', () => {
    const p = {
      ...problem,
      status: 401,
      title: 'Unauthorized',
      detail: 'unknown API key',
      errors: [{ path: 'x', message: 'y' }],
    };
    expect(describeProblem(401, p, 'pools list')).toBe(
      'pools list: 401 Unauthorized: unknown API key (x: y) — set CURIO_API_KEY or pass --key (`curio keys create` makes one)',
    );
  });
  test('a body that is not a problem is quoted', () => {
    expect(describeProblem(502, undefined, 'runs list', '<html>\n bad gateway </html>')).toBe(
      'runs list: the API answered 502: <html> bad gateway </html>',
    );
  });
});

test('formats', () => {
  expect([duration(4.25), duration(75), duration(3725), duration(null)]).toEqual([
    '4.3s',
    '1m15s',
    '1h02m',
    '–',
  ]);
  expect([cost(0), cost(0.00042), cost(1.5), cost(12.345)]).toEqual([
    '$0',
    '$0.00042',
    '$1.500',
    '$12.35',
  ]);
  expect(percent(0.4237)).toBe('42.4%');
  expect(
    table(
      [{ a: 'x', b: 12 }],
      [
        { header: 'name', value: (r) => r.a },
        { header: 'n', value: (r) => String(r.b), align: 'right' },
      ],
    ).map(plain),
  ).toEqual(['name   n', 'x     12']);
});

describe('progress', () => {
  const state: ProgressState = {
    status: 'running',
    step: 120,
    maxSteps: 1000,
    maxMinutes: 6,
    elapsedSeconds: 72,
    loss: 2.31449,
    samplesPerSec: 41.23,
    curationRatio: 0.062,
    cost: 0.00041,
  };
  test('whichever of steps and minutes is further along', () => {
    expect(fraction(state)).toBeCloseTo(0.2);
    expect(fraction({ ...state, maxMinutes: undefined })).toBeCloseTo(0.12);
    expect(fraction({ ...state, maxSteps: undefined, maxMinutes: undefined })).toBeUndefined();
  });
  test('the line', () => {
    expect(plain(describeProgress(state, 10))).toBe(
      'running      step 120/1000  ██░░░░░░░░  20%  loss 2.314  41.2 samples/s  curated 6.2%  1m12s/6m00s  $0.00041',
    );
  });
});

test('the results table: time and cost to each accuracy, the best, the target', () => {
  const metrics = (top1: number) => ({
    zeroShot: { top1, top5: top1 + 0.2, n: 240 },
    retrieval: {
      imageToText: { r1: 0.1, r5: 0.3, r10: 0.5 },
      textToImage: { r1: 0.2, r5: 0.4, r10: 0.6 },
      n: 240,
    },
  });
  const evaluation = (step: number, top1: number, seconds: number): Evaluation => ({
    id: `evr_${step}`,
    step,
    evalSet: 'shapes',
    evalSetId: null,
    checkpointId: null,
    metrics: metrics(top1),
    elapsedSeconds: seconds,
    deviceSeconds: seconds,
    cost: seconds * 0.00001,
    at: '2026-01-01T00:00:00Z',
  });
  const lines: string[] = [];
  const run = { targetAccuracy: 0.5, targetEvalSet: 'shapes' } as Run;
  printResults({ log: (l = '') => lines.push(plain(l)), note: () => {} }, run, [
    evaluation(50, 0.3, 60),
    evaluation(25, 0.1, 30),
    evaluation(75, 0.55, 90),
  ]);
  expect(lines.slice(1)).toEqual([
    'step   time      cost  top-1  top-5  I→T R@1    R@5   R@10  T→I R@1    R@5   R@10',
    '  25    30s  $0.00030  10.0%  30.0%    10.0%  30.0%  50.0%    20.0%  40.0%  60.0%',
    '  50  1m00s  $0.00060  30.0%  50.0%    10.0%  30.0%  50.0%    20.0%  40.0%  60.0%',
    '  75  1m30s  $0.00090  55.0%  75.0%    10.0%  30.0%  50.0%    20.0%  40.0%  60.0%',
    'best zero-shot top-1 on shapes: 55.0% at step 75, reached after 1m30s for $0.00090',
    'target 50.0% top-1 on shapes: reached at step 75 after 1m30s for $0.00090',
  ]);
});
