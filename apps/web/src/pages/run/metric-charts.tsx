// The run's curves: every metric it reports, then zero-shot and retrieval per eval set, on one
// shared x-axis (step, time or cost) that zooms together.
import type { RunDetail } from '@curio/contracts';
import { useState } from 'react';
import { ChartGroup, LineChart, type ChartSeries } from '../../charts/line-chart.js';
import { smooth, toXY } from '../../charts/series.js';
import { metricTitle, orderMetricNames, type MetricSeries } from '../../runs/metrics.js';
import { AXIS_LABELS, evaluationX, runClock } from '../../runs/run-clock.js';
import { ChartControls, DEFAULT_SETTINGS, type ChartSettings } from './chart-controls.js';

export function evaluationSeries(
  run: RunDetail,
  settings: ChartSettings,
  prefix = '',
): ChartSeries[][] {
  const sets = [...new Set(run.evaluations.map((e) => e.evalSet))];
  const byMetric: ChartSeries[][] = [[], []];
  for (const set of sets) {
    const evals = run.evaluations.filter((e) => e.evalSet === set);
    const xs = evals.map((e) => evaluationX(e, settings.axis));
    byMetric[0]!.push({
      label: `${prefix}${set} top-1`,
      xs,
      ys: evals.map((e) => e.metrics.zeroShot.top1),
    });
    byMetric[0]!.push({
      label: `${prefix}${set} top-5`,
      xs,
      ys: evals.map((e) => e.metrics.zeroShot.top5),
    });
    const r = evals.filter((e) => e.metrics.retrieval);
    if (r.length)
      byMetric[1]!.push(
        {
          label: `${prefix}${set} i→t R@1`,
          xs: r.map((e) => evaluationX(e, settings.axis)),
          ys: r.map((e) => e.metrics.retrieval!.imageToText.r1),
        },
        {
          label: `${prefix}${set} t→i R@1`,
          xs: r.map((e) => evaluationX(e, settings.axis)),
          ys: r.map((e) => e.metrics.retrieval!.textToImage.r1),
        },
      );
  }
  return byMetric;
}

export function MetricCharts({ run, series }: { run: RunDetail; series: MetricSeries }) {
  const [settings, setSettings] = useState<ChartSettings>(DEFAULT_SETTINGS);
  const clock = runClock(run);
  const xLabel = AXIS_LABELS[settings.axis];
  const names = orderMetricNames(series.keys());
  const [zeroShot, retrieval] = evaluationSeries(run, settings);
  return (
    <section id="curves" aria-labelledby="curves-h" className="card">
      <h2 id="curves-h">Curves</h2>
      <ChartControls value={settings} onChange={setSettings} />
      {names.length === 0 && <p>No metrics yet.</p>}
      <ChartGroup>
        <div className="chart-grid">
          {names.map((name) => {
            const xy = toXY(series.get(name)!, settings.axis, clock);
            const ys = smooth(xy.ys, settings.smoothing);
            return (
              <LineChart
                key={name}
                title={metricTitle(name)}
                xLabel={xLabel}
                logY={settings.log && ys.every((y) => y > 0)}
                series={[{ label: name, xs: xy.xs, ys }]}
              />
            );
          })}
          {zeroShot!.length > 0 && (
            <LineChart title="Zero-shot accuracy" xLabel={xLabel} points series={zeroShot!} />
          )}
          {retrieval!.length > 0 && (
            <LineChart title="Retrieval recall@1" xLabel={xLabel} points series={retrieval!} />
          )}
        </div>
      </ChartGroup>
    </section>
  );
}
