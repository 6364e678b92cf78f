// Status, attempts, backend and device, progress to each stop condition, time and cost so far.
import type { RunDetail } from '@curio/contracts';
import type { MetricSeries } from '../../runs/metrics.js';
import {
  formatCost,
  formatDuration,
  formatPercent,
  formatTime,
  secondsBetween,
} from '../../ui/format.js';

interface Progress {
  label: string;
  value: number;
  max: number;
  text: string;
}

/** One bar per stop condition the run has: steps, minutes, cost, target accuracy. */
function stopProgress(run: RunDetail, series: MetricSeries): Progress[] {
  const stop = (run.spec?.stop ?? {}) as { maxSteps?: number; maxMinutes?: number };
  const step = Math.max(0, ...[...series.values()].map((s) => s.at(-1)?.step ?? 0));
  const elapsed = secondsBetween(run.startedAt, run.finishedAt);
  const best = Math.max(0, ...run.evaluations.map((e) => e.metrics.zeroShot.top1));
  const out: Progress[] = [];
  if (stop.maxSteps)
    out.push({
      label: 'Steps',
      value: step,
      max: stop.maxSteps,
      text: `${step} / ${stop.maxSteps}`,
    });
  const minutes = run.budget.maxMinutes ?? stop.maxMinutes;
  if (minutes)
    out.push({
      label: 'Time budget',
      value: elapsed,
      max: minutes * 60,
      text: `${formatDuration(elapsed)} / ${formatDuration(minutes * 60)}`,
    });
  if (run.budget.maxCost)
    out.push({
      label: 'Cost budget',
      value: run.costEstimate,
      max: run.budget.maxCost,
      text: `${formatCost(run.costEstimate)} / ${formatCost(run.budget.maxCost)}`,
    });
  if (run.targetAccuracy)
    out.push({
      label: 'Target accuracy',
      value: best,
      max: run.targetAccuracy,
      text: `${formatPercent(best)} / ${formatPercent(run.targetAccuracy)}`,
    });
  return out;
}

export function RunSummary({ run, series }: { run: RunDetail; series: MetricSeries }) {
  const elapsed = secondsBetween(run.startedAt, run.finishedAt);
  return (
    <section id="summary" aria-labelledby="summary-h" className="card">
      <h2 id="summary-h">Summary</h2>
      <dl className="facts">
        <dt>Experiment</dt>
        <dd>{run.experimentId}</dd>
        <dt>Attempt</dt>
        <dd>
          {run.attempt} of {run.maxAttempts}
        </dd>
        <dt>Device</dt>
        <dd>{run.device ?? '—'}</dd>
        <dt>Backend</dt>
        <dd>{run.backend ?? '—'}</dd>
        <dt>Time</dt>
        <dd>{run.startedAt ? formatDuration(elapsed) : 'not started'}</dd>
        <dt>Device time</dt>
        <dd>{formatDuration(run.deviceSeconds)}</dd>
        <dt>Cost so far</dt>
        <dd>{formatCost(run.costEstimate)}</dd>
        <dt>Created</dt>
        <dd>{formatTime(run.createdAt)}</dd>
        {run.stopReason && (
          <>
            <dt>Stopped by</dt>
            <dd>{run.stopReason.replace('_', ' ')}</dd>
          </>
        )}
        {run.error && (
          <>
            <dt>Error</dt>
            <dd className="field-error">{run.error}</dd>
          </>
        )}
      </dl>
      <div className="progress-list">
        {stopProgress(run, series).map((p) => (
          <div key={p.label} className="progress-row">
            <label>
              <span>{p.label}</span>
              <progress value={Math.min(p.value, p.max)} max={p.max} />
              <span>{p.text}</span>
            </label>
          </div>
        ))}
      </div>
    </section>
  );
}
