// The standalone reporter: JSONL files in the output directory and one progress line per
// interval on the console, ending with the results table.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { roundLine, type CurationRoundStats } from '../curation/round-stats.js';
import type { EvalReport, RunReporter, RunSummary, StepReport } from '../loop/reporter.js';
import { formatDuration, resultsTable } from './results-table.js';

export interface RunDirReporterOptions {
  outDir: string;
  /** Print a progress line every this many steps. */
  printEvery: number;
  write?: (line: string) => void;
  /** True once the user asked to stop (Ctrl-C). */
  interrupted?: () => boolean;
}

export function runDirReporter(o: RunDirReporterOptions): RunReporter {
  mkdirSync(o.outDir, { recursive: true });
  const write = o.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const append = (file: string, record: unknown) =>
    appendFileSync(join(o.outDir, file), `${JSON.stringify(record)}\n`);
  const log = (message: string) => {
    append('events.jsonl', { at: new Date().toISOString(), message });
    write(message);
  };
  let recent: StepReport[] = [];
  return {
    log,
    step(r) {
      append('metrics.jsonl', r);
      recent.push(r);
      if (r.sourceWeights)
        write(
          `source weights @ step ${r.step}: ${Object.entries(r.sourceWeights)
            .map(([name, w]) => `${name} ${(100 * w).toFixed(1)}%`)
            .join('  ')}`,
        );
      if (r.step % o.printEvery !== 0) return;
      const mean = (f: (s: StepReport) => number) =>
        recent.reduce((a, s) => a + f(s), 0) / recent.length;
      const ratio =
        r.curationRatio === undefined ? '' : `  kept ${(100 * r.curationRatio).toFixed(1)}%`;
      write(
        `step ${String(r.step).padStart(5)}  loss ${mean((s) => s.loss).toFixed(4)}  ${mean((s) => s.samplesPerSec).toFixed(1)} samples/s` +
          `  ${mean((s) => s.gflopPerSec).toFixed(1)} GFLOP/s  lr ${r.lr.toExponential(2)}${ratio}  ${formatDuration(r.elapsedSeconds)}`,
      );
      recent = [];
    },
    curation(step: number, s: CurationRoundStats) {
      append('curation.jsonl', { step, ...s });
      write(roundLine(step, s));
    },
    evaluation(r: EvalReport) {
      append('evals.jsonl', r);
      const retrieval = r.retrieval
        ? `  I→T R@1 ${(100 * r.retrieval.imageToText.r1).toFixed(1)}%  T→I R@1 ${(100 * r.retrieval.textToImage.r1).toFixed(1)}%`
        : '';
      write(
        `eval ${r.evalSet} @ step ${r.step}: top-1 ${(100 * r.zeroShot.top1).toFixed(1)}%  top-5 ${(100 * r.zeroShot.top5).toFixed(1)}%${retrieval}`,
      );
    },
    growth(g) {
      append('growth.jsonl', g);
      const c = g.candidates[g.chosen]!;
      for (const k of g.candidates)
        write(
          `growth candidate ${k.name}: ${g.score} ${k.score.toFixed(4)}, ${k.gflopsPerSample.toFixed(4)} GFLOPs/sample, ${k.params} params, ${k.proxySteps} steps in ${k.seconds.toFixed(1)}s`,
        );
      write(
        `growth: ${g.parentArchitecture.name as string} → ${c.name} (${g.score} ${c.score.toFixed(4)}${g.parentScore === undefined ? '' : `, parent ${g.parentScore.toFixed(4)}`})`,
      );
    },
    checkpoint(info) {
      append('events.jsonl', { at: new Date().toISOString(), checkpoint: info });
    },
    stopRequested: () => (o.interrupted?.() ? 'canceled' : undefined),
    finished(summary: RunSummary) {
      writeFileSync(join(o.outDir, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
      write(
        `\nstopped after ${summary.steps} steps (${summary.stopReason}) in ${formatDuration(summary.elapsedSeconds)} on ${summary.backend}`,
      );
      if (summary.dataProblems) write(`data: ${summary.dataProblems}`);
      if (summary.evaluations.length) write(`\n${resultsTable(summary.evaluations)}`);
    },
  };
}
