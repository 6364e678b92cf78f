// Compare runs: pick them, overlay their curves on one axis, see their evaluation tables and
// configs side by side with the differences highlighted. The chosen runs live in ?runs=a,b.
import type { Page, Run, RunDetail } from '@curio/contracts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/http.js';
import { apiKey, useApi } from '../api/queries.js';
import { ChartGroup, LineChart, type ChartSeries } from '../charts/line-chart.js';
import { smooth, toXY } from '../charts/series.js';
import { diffRows } from '../runs/config-diff.js';
import {
  loadMetricSeries,
  metricTitle,
  orderMetricNames,
  type MetricSeries,
} from '../runs/metrics.js';
import { AXIS_LABELS, runClock } from '../runs/run-clock.js';
import { ErrorBox, Loading, PageHeader, StatusBadge } from '../ui/parts.js';
import { ChartControls, DEFAULT_SETTINGS, type ChartSettings } from './run/chart-controls.js';
import { EvaluationTable } from './run/evaluations.js';
import { evaluationSeries } from './run/metric-charts.js';

const MAX_RUNS = 6;

export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const chosen = (params.get('runs') ?? '').split(',').filter(Boolean).slice(0, MAX_RUNS);
  const toggle = (id: string) => {
    const next = chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id];
    setParams(next.length ? { runs: next.join(',') } : {});
  };
  return (
    <section>
      <PageHeader title="Compare runs" />
      <RunPicker chosen={chosen} onToggle={toggle} />
      {chosen.length > 0 && <Comparison ids={chosen} />}
    </section>
  );
}

function RunPicker({ chosen, onToggle }: { chosen: string[]; onToggle: (id: string) => void }) {
  const runs = useApi<Page<Run>>('/v1/runs?limit=50');
  return (
    <fieldset className="picker">
      <legend>Runs to compare (at most {MAX_RUNS})</legend>
      <ErrorBox error={runs.error} />
      <ul>
        {(runs.data?.items ?? []).map((r) => (
          <li key={r.id}>
            <label className="check">
              <input
                type="checkbox"
                checked={chosen.includes(r.id)}
                disabled={!chosen.includes(r.id) && chosen.length >= MAX_RUNS}
                onChange={() => onToggle(r.id)}
              />
              {r.id} <StatusBadge status={r.status} />
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function Comparison({ ids }: { ids: string[] }) {
  const [settings, setSettings] = useState<ChartSettings>(DEFAULT_SETTINGS);
  const details = useQueries({
    queries: ids.map((id) => ({
      queryKey: apiKey(`/v1/runs/${id}`),
      queryFn: () => api.get<RunDetail>(`/v1/runs/${encodeURIComponent(id)}`),
    })),
  });
  const series = useQuery({
    queryKey: ['compare-series', ids],
    queryFn: () => Promise.all(ids.map((id) => loadMetricSeries(id))),
  });
  const error = details.find((d) => d.error)?.error ?? series.error;
  if (error) return <ErrorBox error={error} />;
  const runs = details.map((d) => d.data).filter((d): d is RunDetail => d !== undefined);
  if (runs.length < ids.length || !series.data) return <Loading what="the runs" />;
  return (
    <>
      <section aria-labelledby="cmp-curves" className="card">
        <h2 id="cmp-curves">Curves</h2>
        <ChartControls value={settings} onChange={setSettings} />
        <OverlaidCharts runs={runs} series={series.data} settings={settings} />
      </section>
      <section aria-labelledby="cmp-evals" className="card">
        <h2 id="cmp-evals">Evaluations</h2>
        <div className="side-by-side">
          {runs.map((r) => (
            <div key={r.id}>
              <h3>
                <Link to={`/runs/${r.id}`}>{r.id}</Link>
              </h3>
              <EvaluationTable evaluations={r.evaluations} caption={`Evaluations of ${r.id}`} />
            </div>
          ))}
        </div>
      </section>
      <ConfigDiff runs={runs} />
    </>
  );
}

function OverlaidCharts(props: {
  runs: RunDetail[];
  series: MetricSeries[];
  settings: ChartSettings;
}) {
  const { runs, series, settings } = props;
  const names = orderMetricNames(new Set(series.flatMap((s) => [...s.keys()])));
  const xLabel = AXIS_LABELS[settings.axis];
  const evals = runs.map((r) => evaluationSeries(r, settings, `${r.id} `)[0]!);
  return (
    <ChartGroup>
      <div className="chart-grid">
        {names.map((name) => {
          const lines: ChartSeries[] = [];
          runs.forEach((run, i) => {
            const points = series[i]!.get(name);
            if (!points) return;
            const xy = toXY(points, settings.axis, runClock(run));
            lines.push({ label: run.id, xs: xy.xs, ys: smooth(xy.ys, settings.smoothing) });
          });
          return (
            <LineChart
              key={name}
              title={metricTitle(name)}
              xLabel={xLabel}
              series={lines}
              logY={settings.log && lines.every((l) => l.ys.every((y) => y > 0))}
            />
          );
        })}
        {evals.flat().length > 0 && (
          <LineChart title="Zero-shot accuracy" xLabel={xLabel} points series={evals.flat()} />
        )}
      </div>
    </ChartGroup>
  );
}

function ConfigDiff({ runs }: { runs: RunDetail[] }) {
  const [onlyDiff, setOnlyDiff] = useState(true);
  const rows = diffRows(runs.map((r) => r.spec ?? {})).filter((r) => !onlyDiff || r.differs);
  return (
    <section aria-labelledby="cmp-config" className="card">
      <h2 id="cmp-config">Configs</h2>
      <label className="check">
        <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} />{' '}
        Only the differences
      </label>
      <div className="table-wrap">
        <table className="config-diff">
          <caption className="sr-only">Run specs side by side; differing rows are marked</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {runs.map((r) => (
                <th key={r.id} scope="col">
                  {r.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.path} className={row.differs ? 'differs' : undefined}>
                <th scope="row">
                  {row.path}
                  {row.differs && <span className="sr-only"> (differs)</span>}
                </th>
                {row.values.map((v, i) => (
                  <td key={i}>{v ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
