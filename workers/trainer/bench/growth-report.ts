// The growth benchmark's summary: per arm the final top-1 over seeds (mean, spread), the verdict
// against the better fixed arm, and knowledge kept at each growth step.

export type Arm = 'small' | 'large' | 'growth';

export interface ArmRun {
  arm: Arm;
  seed: number;
  top1: number;
  flops: number;
  seconds: number;
  finalArchitecture: string;
}

export interface GrowthStepReport {
  seed: number;
  stage: number;
  chosen: string;
  candidates: { name: string; score: number; gflopsPerSample: number }[];
  parentTop1: number;
  /** The chosen child right after inheritance and PIM, before any training. */
  childInheritedTop1: number;
  /** The chosen child after the search (its proxy training on the new stage included). */
  childAfterSearchTop1: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) =>
  xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

function armSummary(runs: readonly ArmRun[]) {
  const t = runs.map((x) => x.top1);
  return {
    top1: t,
    mean: +mean(t).toFixed(4),
    std: +std(t).toFixed(4),
    min: Math.min(...t),
    max: Math.max(...t),
    gflops: +mean(runs.map((x) => x.flops / 1e9)).toFixed(1),
  };
}

export function growthReport(runs: readonly ArmRun[], steps: readonly GrowthStepReport[]) {
  const arms = Object.fromEntries(
    (['small', 'large', 'growth'] as const).map((a) => [
      a,
      armSummary(runs.filter((r) => r.arm === a)),
    ]),
  ) as Record<Arm, ReturnType<typeof armSummary>>;
  const g = arms.growth;
  const best = arms.small.mean >= arms.large.mean ? 'small' : 'large';
  const b = arms[best];
  const seeds = g.top1.length;
  const fewerFlops = 1 - g.gflops / b.gflops;
  const cheaper = fewerFlops > 0.005 ? ` with ${(100 * fewerFlops).toFixed(0)}% fewer FLOPs` : '';
  const beyondSpread = seeds >= 2 && g.mean - b.mean > Math.max(g.std, b.std);
  const verdict =
    !arms.small.top1.length || !arms.large.top1.length || !seeds
      ? 'not every arm ran (--arms): no verdict'
      : seeds < 2
        ? 'one seed: no spread to compare against (run with --seeds a,b,c)'
        : beyondSpread
          ? `growth beats both fixed arms by more than the seed spread (vs ${best})${cheaper}`
          : g.mean >= b.mean
            ? `growth matches or passes the better fixed arm (${best}) by less than the seed spread${cheaper}`
            : `growth is behind the better fixed arm (${best})${cheaper}`;
  const kept = steps.map((s) => s.childInheritedTop1 - s.parentTop1);
  return {
    arms,
    verdict,
    /** The targets: beat both by more than the spread, or match with ≥ 30% fewer FLOPs. */
    target: {
      beatsBothBeyondSpread: beyondSpread,
      matchesWith30PercentFewerFlops: seeds >= 2 && g.mean >= b.mean && fewerFlops >= 0.3,
    },
    // the grown child at inheritance (PIM, before training) against its parent
    knowledgeKept: {
      meanChildMinusParentTop1: +mean(kept).toFixed(4),
      worst: +Math.min(...kept).toFixed(4),
      within1Point: kept.every((d) => d >= -0.01),
    },
  };
}
