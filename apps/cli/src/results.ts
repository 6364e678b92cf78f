// The results of a run: each evaluation with the training time and cost at which it was reached
// (zero-shot top-1/top-5, retrieval R@1/5/10 both ways), then the best accuracy and the target.
import type { Evaluation, Run } from '@curio/contracts';
import pc from 'picocolors';
import { cost, duration, percent, printTable, type Column, type Out } from './output.js';

const evalColumns = (several: boolean): Column<Evaluation>[] => [
  { header: 'step', value: (e) => String(e.step), align: 'right' },
  ...(several ? [{ header: 'eval set', value: (e: Evaluation) => e.evalSet }] : []),
  { header: 'time', value: (e) => duration(e.elapsedSeconds), align: 'right' },
  { header: 'cost', value: (e) => cost(e.cost), align: 'right' },
  { header: 'top-1', value: (e) => percent(e.metrics.zeroShot.top1), align: 'right' },
  { header: 'top-5', value: (e) => percent(e.metrics.zeroShot.top5), align: 'right' },
  { header: 'I→T R@1', value: (e) => percent(e.metrics.retrieval?.imageToText.r1), align: 'right' },
  { header: 'R@5', value: (e) => percent(e.metrics.retrieval?.imageToText.r5), align: 'right' },
  { header: 'R@10', value: (e) => percent(e.metrics.retrieval?.imageToText.r10), align: 'right' },
  { header: 'T→I R@1', value: (e) => percent(e.metrics.retrieval?.textToImage.r1), align: 'right' },
  { header: 'R@5', value: (e) => percent(e.metrics.retrieval?.textToImage.r5), align: 'right' },
  { header: 'R@10', value: (e) => percent(e.metrics.retrieval?.textToImage.r10), align: 'right' },
];

/** One line for an evaluation as it arrives. */
export function evaluationLine(e: Evaluation): string {
  const r = e.metrics.retrieval;
  const retrieval = r
    ? `  retrieval I→T R@1/5/10 ${[r.imageToText.r1, r.imageToText.r5, r.imageToText.r10].map((v) => percent(v, 0)).join('/')}` +
      `  T→I ${[r.textToImage.r1, r.textToImage.r5, r.textToImage.r10].map((v) => percent(v, 0)).join('/')}`
    : '';
  return `eval ${e.evalSet} @ step ${e.step}: zero-shot top-1 ${pc.bold(percent(e.metrics.zeroShot.top1))} top-5 ${percent(e.metrics.zeroShot.top5)}${retrieval}  (${duration(e.elapsedSeconds)}, ${cost(e.cost)})`;
}

/** The results table and what the run reached; nothing but a note when it has no evaluation. */
export function printResults(out: Out, run: Run, evaluations: readonly Evaluation[]): void {
  if (evaluations.length === 0) {
    out.log(pc.dim('no evaluations (the run stopped before its first, or has no eval set)'));
    return;
  }
  const sets = [...new Set(evaluations.map((e) => e.evalSet))];
  const sorted = [...evaluations].sort(
    (a, b) => a.step - b.step || a.evalSet.localeCompare(b.evalSet),
  );
  out.log(
    pc.bold(
      'Zero-shot classification and retrieval, with the training time and cost at which each was reached',
    ),
  );
  printTable(out, sorted, evalColumns(sets.length > 1), '');
  for (const set of sets) {
    const mine = sorted.filter((e) => e.evalSet === set);
    const best = mine.reduce((a, b) => (b.metrics.zeroShot.top1 > a.metrics.zeroShot.top1 ? b : a));
    out.log(
      `best zero-shot top-1 on ${set}: ${pc.bold(percent(best.metrics.zeroShot.top1))} at step ${best.step}, reached after ${duration(best.elapsedSeconds)} for ${cost(best.cost)}`,
    );
  }
  if (run.targetAccuracy !== null) {
    const set = run.targetEvalSet ?? sets[0]!;
    const hit = sorted.find(
      (e) => e.evalSet === set && e.metrics.zeroShot.top1 >= run.targetAccuracy!,
    );
    out.log(
      hit
        ? `target ${percent(run.targetAccuracy)} top-1 on ${set}: ${pc.green('reached')} at step ${hit.step} after ${duration(hit.elapsedSeconds)} for ${cost(hit.cost)}`
        : `target ${percent(run.targetAccuracy)} top-1 on ${set}: ${pc.yellow('not reached')}`,
    );
  }
}

/** The closing line of a run: how it ended and why, what it used. */
export function outcomeLine(run: Run): string {
  const used = `${duration(run.deviceSeconds)} on ${run.device ?? 'an unknown device'}${run.backend ? ` (${run.backend})` : ''}, ${cost(run.costEstimate)}`;
  switch (run.status) {
    case 'succeeded':
      return `${pc.green('✔')} run ${run.id} succeeded (stopped by ${stopReason(run.stopReason)}): ${used}`;
    case 'canceled':
      return `${pc.yellow('■')} run ${run.id} was canceled: ${used}`;
    case 'failed':
      return `${pc.red('✖')} run ${run.id} failed after ${run.attempt} attempt(s): ${run.error ?? 'no error recorded'}`;
    default:
      return `run ${run.id} is ${run.status}`;
  }
}

const STOP_WORDS: Record<string, string> = {
  max_steps: 'its step limit',
  max_minutes: 'its time budget',
  max_cost: 'its cost budget',
  target_accuracy: 'reaching its target accuracy',
  canceled: 'a cancel',
  error: 'an error',
};

export function stopReason(reason: string | null): string {
  return reason ? (STOP_WORDS[reason] ?? reason) : 'an unknown reason';
}
