// npm run bench:sampling [-- --quick] [--seeds 0,1,2] [--target 0.3] [--sustain 2]
//                          [--sweep 0.2,0.25,0.3,0.35] [--max-minutes 30]
//                          [--max-steps 300] [--pairs 8000] [--batch 128] [--lr 1e-3]
//                          [--eval-per-class 30]
//                          [--interval I --eta H --smoothing S --floor E --held-out N]
//                          [--chance-margin M]
// Adaptive source weights (METHODS.md §4, ours) against size-proportional ones (ZeroVL), both with
// single-source (debiased) batches, on a pool of three synthetic sources, one of them pure noise
// (./sampling-arm.ts): training time to a target zero-shot top-1 per seed, the speed-up, and
// whether the noise source's weight reaches its floor ε/K (within 10%). Both arms train to
// --max-steps; an arm reaches the target at the first of --sustain evaluations in a row at or
// above it (one lucky evaluation does not count). The speed-up is also given at each --sweep
// target, read off the same evaluations.
// `--quick`: one seed, 2,000-pair sources, 120 steps. Last line: one JSON object.
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/backend/index.js';
import { EVAL_EVERY, reachedAt, runArm, samplingPool, type ArmResult } from './sampling-arm.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    target: { type: 'string' },
    sustain: { type: 'string', default: '2' },
    sweep: { type: 'string', default: '0.2,0.25,0.3,0.35' },
    'max-minutes': { type: 'string' },
    'max-steps': { type: 'string' },
    pairs: { type: 'string' },
    batch: { type: 'string', default: '128' },
    lr: { type: 'string', default: '1e-3' },
    'eval-per-class': { type: 'string', default: '30' },
    interval: { type: 'string' },
    eta: { type: 'string' },
    smoothing: { type: 'string' },
    floor: { type: 'string' },
    'held-out': { type: 'string' },
    'chance-margin': { type: 'string' },
  },
});
const quick = values.quick;
const seeds = (values.seeds ?? (quick ? '0' : '0,1,2')).split(',').map(Number);
const target = Number(values.target ?? 0.3);
const sustain = Number(values.sustain);
const maxMinutes = Number(values['max-minutes'] ?? (quick ? 15 : 30));
const maxSteps = Number(values['max-steps'] ?? (quick ? 120 : 300));
const pairs = Number(values.pairs ?? (quick ? 2000 : 8000));
const optional = (k: 'interval' | 'eta' | 'smoothing' | 'floor' | 'held-out' | 'chance-margin') =>
  values[k] === undefined ? undefined : Number(values[k]);
const adaptive = Object.fromEntries(
  Object.entries({
    interval: optional('interval'),
    eta: optional('eta'),
    smoothing: optional('smoothing'),
    floor: optional('floor'),
    heldOut: optional('held-out'),
    chanceMargin: optional('chance-margin'),
  }).filter(([, v]) => v !== undefined),
);

const backend = await selectBackend({ forced: process.env.CURIO_TF_BACKEND, log: console.log });
const started = performance.now();
const pool = await samplingPool(pairs, 1, Number(values['eval-per-class']));
console.log(
  `pool: ${pool.sources.map((s) => `${s.name} ${s.data.counts.pool}`).join(', ')} pairs; target top-1 ${target}`,
);

const runs: { seed: number; proportional: ArmResult; adaptive: ArmResult }[] = [];
for (const seed of seeds) {
  const common = {
    pool,
    seed,
    maxMinutes,
    maxSteps,
    batchSize: Number(values.batch),
    lr: Number(values.lr),
    adaptive,
    backend: backend.name,
  };
  const proportional = await runArm({ ...common, arm: 'proportional' });
  console.log(JSON.stringify(proportional));
  const adaptiveRun = await runArm({ ...common, arm: 'adaptive' });
  console.log(JSON.stringify(adaptiveRun));
  runs.push({ seed, proportional, adaptive: adaptiveRun });
}

/**
 * proportional's time to `target` / adaptive's, read off their evaluations (null where adaptive
 * never got there; a lower bound where only proportional did not: its whole run's time).
 */
function speedupAt(r: (typeof runs)[number], target: number) {
  const p = reachedAt(r.proportional.top1s, target, sustain);
  const a = reachedAt(r.adaptive.top1s, target, sustain);
  if (a === undefined)
    return { seed: r.seed, value: null, steps: null, lowerBound: false, beforeFirstUpdate: false };
  const seconds = (arm: ArmResult, i: number | undefined) =>
    i === undefined ? arm.evalSeconds.at(-1)! : arm.evalSeconds[i]!;
  const steps = (arm: ArmResult, i: number | undefined) => (i ?? arm.top1s.length - 1) + 1;
  const time = { proportional: seconds(r.proportional, p), adaptive: seconds(r.adaptive, a) };
  return {
    seed: r.seed,
    seconds: time,
    value: +(time.proportional / time.adaptive).toFixed(2),
    /** By steps: what a loaded machine's wall times blur (the held-out passes not counted). */
    steps: +(steps(r.proportional, p) / steps(r.adaptive, a)).toFixed(2),
    lowerBound: p === undefined,
    /**
     * Reached at an evaluation no later than the rule's first update (its batches come after
     * it): the two arms had drawn by the same ∝-size weights, so the ratio is chance there.
     */
    beforeFirstUpdate: (a + 1) * EVAL_EVERY <= (r.adaptive.interval ?? 0),
  };
}
const speedups = runs.map((r) => speedupAt(r, target));
/** The same at other targets, so that one target near a plateau does not decide alone. */
const sweep = values.sweep
  .split(',')
  .map(Number)
  .map((t) => ({ target: t, speedups: runs.map((r) => speedupAt(r, t)) }));
for (const s of sweep)
  console.log(
    `target ${s.target}: ${s.speedups.map((x) => `${x.value}${x.lowerBound ? '+' : ''}${x.beforeFirstUpdate ? '(before the first update)' : ''}`).join(', ')}`,
  );
const measured = speedups.flatMap((s) => (s.value === null ? [] : [s.value]));
const geoMean =
  measured.length === runs.length
    ? +Math.exp(measured.reduce((a, v) => a + Math.log(v), 0) / measured.length).toFixed(2)
    : null;
const noise = runs.map((r) => {
  const w = r.adaptive.noiseWeights ?? [];
  const floor = r.adaptive.floor ?? 0;
  const lowest = Math.min(...w.slice(1));
  return { seed: r.seed, floor, lowest, last: w.at(-1) ?? null, atFloor: lowest <= 1.1 * floor };
});
const atFloor = noise.every((n) => n.atFloor);
console.log(
  JSON.stringify({
    bench: 'sampling',
    quick,
    backend: backend.name,
    target,
    sustain,
    seeds,
    pairs: Object.fromEntries(pool.sources.map((s) => [s.name, s.data.counts.pool])),
    runs,
    speedups,
    geoMeanSpeedup: geoMean,
    sweep,
    noise,
    verdict: {
      speedupAtLeast1_3: geoMean !== null && geoMean >= 1.3,
      /** Every seed's target reached after the rule had acted (else the ratio is chance). */
      afterFirstUpdate: speedups.every((s) => !s.beforeFirstUpdate),
      noiseAtFloor: atFloor,
    },
    wallSeconds: +((performance.now() - started) / 1000).toFixed(1),
  }),
);
