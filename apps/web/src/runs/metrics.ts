// A run's metric series: downsampled by the server (`?points=`) for the history, then live
// points from the stream merged in and thinned, so no chart draws more than MAX_POINTS a series.
import {
  FixedMetricName,
  METRIC_NAMES,
  SOURCE_WEIGHT_PREFIX,
  type MetricName,
  type Page,
  type RunMetric,
} from '@curio/contracts';
import { api } from '../api/http.js';
import { mergePoints, thin, type SeriesPoint } from '../charts/series.js';

/**
 * Buckets per series asked of the server (it answers each bucket's first, last, lowest and highest
 * point: at most 4 × BUCKETS points), and the most points a series keeps as live points arrive
 * before it is thinned again to 4 × BUCKETS.
 */
export const BUCKETS = 600;
export const MAX_POINTS = 4000;

export type MetricSeries = ReadonlyMap<MetricName, SeriesPoint[]>;

export function toSeriesPoint(m: RunMetric): SeriesPoint {
  return { step: m.step, value: m.value, at: Date.parse(m.at) };
}

export async function loadMetricSeries(runId: string): Promise<MetricSeries> {
  const page = await api.get<Page<RunMetric>>(
    `/v1/runs/${encodeURIComponent(runId)}/metrics?points=${BUCKETS}`,
  );
  return addPoints(new Map(), page.items);
}

/** The series with `metrics` merged in (each series thinned back under MAX_POINTS). */
export function addPoints(series: MetricSeries, metrics: readonly RunMetric[]): MetricSeries {
  const byName = new Map<MetricName, SeriesPoint[]>();
  for (const m of metrics) {
    const list = byName.get(m.name) ?? [];
    list.push(toSeriesPoint(m));
    byName.set(m.name, list);
  }
  const next = new Map(series);
  for (const [name, points] of byName) {
    const merged = mergePoints(series.get(name) ?? [], points);
    next.set(name, merged.length > MAX_POINTS ? thin(merged, 4 * BUCKETS) : merged);
  }
  return next;
}

/** The title of each metric's chart. */
export const METRIC_TITLES: Record<FixedMetricName, string> = {
  loss: 'Loss',
  lr: 'Learning rate',
  temperature: 'Temperature τ',
  grad_norm: 'Gradient norm',
  samples_per_sec: 'Samples / s',
  gflop_per_sec: 'GFLOP / s',
  curation_ratio: 'Curation kept ratio',
  curation_on_target: 'Kept on-target share',
};

export function metricTitle(name: MetricName): string {
  const fixed = FixedMetricName.safeParse(name);
  if (fixed.success) return METRIC_TITLES[fixed.data];
  return `Source weight: ${name.slice(SOURCE_WEIGHT_PREFIX.length)}`;
}

/** In the contract's order (loss first), then the per-source weights by source name. */
export function orderMetricNames(names: Iterable<MetricName>): MetricName[] {
  const rank = (n: MetricName) => {
    const fixed = FixedMetricName.safeParse(n);
    return fixed.success ? METRIC_NAMES.indexOf(fixed.data) : METRIC_NAMES.length;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
