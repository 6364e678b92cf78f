// A run's time and cost axis: seconds since it started, priced at its average cost per second.
import type { Evaluation, Run } from '@curio/contracts';
import type { RunClock, XAxis } from '../charts/series.js';
import { secondsBetween } from '../ui/format.js';

export function runClock(run: Run): RunClock {
  const elapsed = secondsBetween(run.startedAt, run.finishedAt);
  return {
    startMs: run.startedAt ? Date.parse(run.startedAt) : Date.parse(run.createdAt),
    costPerSecond: elapsed > 0 ? run.costEstimate / elapsed : 0,
  };
}

export function evaluationX(e: Evaluation, axis: XAxis): number {
  return axis === 'step' ? e.step : axis === 'time' ? e.elapsedSeconds : e.cost;
}

export const AXIS_LABELS: Record<XAxis, string> = {
  step: 'step',
  time: 'time (s)',
  cost: 'cost (USD)',
};
