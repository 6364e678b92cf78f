// One arm of `npm run bench:cit`: a training job on a synthetic pool with the defaults and one
// curation override, to a target zero-shot top-1; what it reached, when, and what its curation
// rounds kept (recall and precision of the aligned on-target pairs, on pools that know).
import { readFile } from 'node:fs/promises';
import type { RunSpecInput } from '@curio/contracts';
import type { SyntheticDataResult } from '@curio/synthetic';
import type { CurationRoundStats } from '../src/curation/round-stats.js';
import { runBenchJob } from './bench-job.js';

/** The arms: curation on its defaults, with one setting changed, or none at all. */
export const ARMS: Record<string, RunSpecInput['curation']> = {
  /** The defaults: lexical cold start, the handover that adds, the pair filter by evidence. */
  cit: { mode: 'cit' },
  /** The lexical matcher alone decides every round. */
  'cit-lexical': { mode: 'cit', handover: 'never' },
  /** The paper's rule: threshold and γ from the start, no lexical cold start. */
  'cit-paper': { mode: 'cit', bootstrap: 'none' },
  none: { mode: 'none' },
  /** Curation's ceilings on the paraphrase pool (./cit.ts gives them their pools): no curation on
   *  only the pool's aligned on-target pairs, and on only the ones whose caption names the class
   *  (the most the lexical matcher can find). */
  oracle: { mode: 'none' },
  'oracle-named': { mode: 'none' },
};

export interface RoundsSummary {
  rounds: number;
  /** Over the last 3 rounds: kept aligned on-target pairs / aligned on-target pairs scanned… */
  recall: number | null;
  /** …and kept aligned on-target pairs / kept pairs. */
  precision: number | null;
  modelAdded: number;
  firstWarmRound: number | null;
  pairFiltered: number;
  swappedDropped: number;
  curationSeconds: number;
}

export interface ArmResult {
  arm: string;
  reached: boolean;
  /** Training wall time to the target (or the whole budget when missed). */
  seconds: number;
  steps: number;
  finalTop1: number;
  bestTop1: number;
  budgetMinutes: number;
  curation?: RoundsSummary;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function summariseRounds(rounds: readonly CurationRoundStats[]): RoundsSummary {
  const last = rounds.slice(-3).filter((r) => r.truth);
  const scanned = sum(last.map((r) => r.truth!.scanned));
  const kept = sum(last.map((r) => r.truth!.kept));
  return {
    rounds: rounds.length,
    recall: scanned > 0 ? +(kept / scanned).toFixed(3) : null,
    precision: last.length ? +(kept / Math.max(1, sum(last.map((r) => r.kept)))).toFixed(3) : null,
    modelAdded: sum(rounds.map((r) => r.handover?.added ?? 0)),
    firstWarmRound: rounds.find((r) => r.warm)?.round ?? null,
    pairFiltered: sum(rounds.map((r) => r.pairFiltered)),
    swappedDropped: sum(rounds.map((r) => r.truth?.swappedDropped ?? 0)),
    curationSeconds: +sum(rounds.map((r) => r.seconds)).toFixed(1),
  };
}

export interface ArmOptions {
  arm: string;
  data: SyntheticDataResult;
  seed: number;
  target: number;
  maxMinutes: number;
  maxSteps?: number;
  backend: string;
}

export async function runArm(o: ArmOptions): Promise<ArmResult> {
  const curation = ARMS[o.arm];
  if (!curation) throw new Error(`unknown arm ${o.arm} (expected ${Object.keys(ARMS).join(', ')})`);
  const synonyms = JSON.parse(await readFile(o.data.synonymsFile, 'utf8')) as Record<
    string,
    string[]
  >;
  // Everything on its defaults but the arm's curation; evaluations every 25 steps to time the
  // target finely, and no checkpoints but the last.
  const spec: RunSpecInput = {
    name: `bench-${o.arm}`,
    seed: o.seed,
    pool: { sources: [{ name: 'synthetic', shards: [o.data.poolDir] }] },
    metadata: { file: o.data.metadataFile, synonyms },
    evalSets: [{ name: 'shapes', path: o.data.evalDir }],
    model: { preset: 'tiny' },
    curation,
    stop: {
      maxMinutes: o.maxMinutes,
      ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
      targetAccuracy: { top1: o.target },
    },
    eval: { everySteps: 25 },
    checkpoint: { everySteps: 100_000 },
  };
  const { summary, recorded } = await runBenchJob(spec, {
    label: o.arm,
    backend: o.backend,
    echo: console.log,
  });
  const evals = summary.evaluations;
  const hit = evals.find((e) => e.zeroShot.top1 >= o.target);
  const { rounds } = recorded;
  return {
    arm: o.arm,
    reached: hit !== undefined,
    seconds: +(hit?.elapsedSeconds ?? summary.elapsedSeconds).toFixed(1),
    steps: hit?.step ?? summary.steps,
    finalTop1: evals.at(-1)?.zeroShot.top1 ?? 0,
    bestTop1: Math.max(0, ...evals.map((e) => e.zeroShot.top1)),
    budgetMinutes: o.maxMinutes,
    ...(rounds.length ? { curation: summariseRounds(rounds) } : {}),
  };
}

/**
 * How many times sooner `fast` reached the target than `slow`: a measurement when both did, a
 * lower bound when only `fast` did, and null when `fast` did not.
 */
export function speedup(fast: ArmResult, slow: ArmResult) {
  if (!fast.reached) return { value: null, reason: `${fast.arm} did not reach the target` };
  return { value: +(slow.seconds / fast.seconds).toFixed(2), lowerBound: !slow.reached };
}
