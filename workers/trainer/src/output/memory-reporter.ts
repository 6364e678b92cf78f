// A reporter that keeps everything in memory: for benchmarks and tests that inspect a run, and
// for embedding the trainer in another program. Optionally echoes progress lines.
import type { GrowthStepData, StopReason } from '@curio/contracts';
import type { CurationRoundStats } from '../curation/curator.js';
import type { EvalReport, RunReporter, RunSummary, StepReport } from '../loop/reporter.js';

export interface Recorded {
  steps: StepReport[];
  rounds: CurationRoundStats[];
  evals: EvalReport[];
  checkpoints: { step: number; key: string; parentCheckpoint?: string }[];
  growth: GrowthStepData[];
  logs: string[];
  summary?: RunSummary;
}

export interface MemoryReporterOptions {
  /** Stop once this many steps are done … */
  stopAfterStep?: number;
  /** … for this reason (default `canceled`; `max_cost` as a spent budget would). */
  stopReason?: StopReason;
  /** Called with a one-line description of each evaluation and curation round. */
  echo?: (line: string) => void;
}

export function memoryReporter(
  o: MemoryReporterOptions = {},
): RunReporter & { recorded: Recorded } {
  const recorded: Recorded = {
    steps: [],
    rounds: [],
    evals: [],
    checkpoints: [],
    logs: [],
    growth: [],
  };
  return {
    recorded,
    log: (m) => void recorded.logs.push(m),
    step: (r) => void recorded.steps.push(r),
    curation: (step, s) => {
      recorded.rounds.push(s);
      o.echo?.(
        `  round ${s.round} @ ${step}: kept ${s.kept}/${s.scanned}${s.keptOnTarget === undefined ? '' : ` (${(100 * s.keptOnTarget).toFixed(0)}% on-target)`}`,
      );
    },
    evaluation: (r) => {
      recorded.evals.push(r);
      o.echo?.(
        `  eval @ ${r.step} (${r.elapsedSeconds.toFixed(0)}s): top-1 ${(100 * r.zeroShot.top1).toFixed(1)}%`,
      );
    },
    growth: (g) => {
      recorded.growth.push(g);
      const c = g.candidates[g.chosen]!;
      o.echo?.(
        `  growth: ${g.candidates.length} candidates, chose ${c.name} (${g.score} ${c.score.toFixed(4)})`,
      );
    },
    checkpoint: (c) => void recorded.checkpoints.push(c),
    stopRequested: (): StopReason | undefined =>
      o.stopAfterStep !== undefined && (recorded.steps.at(-1)?.step ?? 0) >= o.stopAfterStep
        ? (o.stopReason ?? 'canceled')
        : undefined,
    finished: (s) => void (recorded.summary = s),
  };
}
