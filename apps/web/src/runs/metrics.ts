// A run's metric series: downsampled by the server (`?points=`) for the history, then live
// points from the stream merged in and thinned, so no chart draws more than MAX_POINTS a series.
import type { RunMetric } from '@curio/contracts';
import { fetchAll } from '../api/queries.js';
import { mergePoints, thin, type SeriesPoint } from '../charts/series.js';

/** Points per series asked of the server, and the most a chart keeps as live points arrive. */
export const SERVER_POINTS = 2000;
export const MAX_POINTS = 4000;

export type MetricSeries = ReadonlyMap<string, SeriesPoint[]>;

export function toSeriesPoint(m: RunMetric): SeriesPoint {
  return { step: m.step, value: m.value, at: Date.parse(m.at) };
}

export async function loadMetricSeries(runId: string): Promise<MetricSeries> {
  const items = await fetchAll<RunMetric>(
    `/v1/runs/${encodeURIComponent(runId)}/metrics?points=${SERVER_POINTS}`,
  );
  return addPoints(new Map(), items);
}

/** The series with `metrics` merged in (each series thinned back under MAX_POINTS). */
export function addPoints(series: MetricSeries, metrics: readonly RunMetric[]): MetricSeries {
  const byName = new Map<string, SeriesPoint[]>();
  for (const m of metrics) {
    const list = byName.get(m.name) ?? [];
    list.push(toSeriesPoint(m));
    byName.set(m.name, list);
  }
  const next = new Map(series);
  for (const [name, points] of byName) {
    const merged = mergePoints(series.get(name) ?? [], points);
    next.set(name, merged.length > MAX_POINTS ? thin(merged, SERVER_POINTS) : merged);
  }
  return next;
}

/** How each metric the trainer reports is shown; unknown names get their own chart too. */
export const METRIC_TITLES: Record<string, string> = {
  loss: 'Loss',
  lr: 'Learning rate',
  temperature: 'Temperature',
  grad_norm: 'Gradient norm',
  samples_per_sec: 'Samples / s',
  gflop_per_sec: 'GFLOP / s',
  curation_ratio: 'Curation kept ratio',
  curation_on_target: 'Kept on-target share',
};

export function metricTitle(name: string): string {
  return METRIC_TITLES[name] ?? name;
}

/** Known metrics first, in their order, then the rest by name. */
export function orderMetricNames(names: Iterable<string>): string[] {
  const known = Object.keys(METRIC_TITLES);
  return [...names].sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
}
