// What a run page needs, started before the app first renders when the address is a run page:
// its module, its detail and its metric history then load while the session is being checked,
// instead of one after another (bench:web's waterfall: session, page module, detail, history).
// Without a session the requests fail quietly and the login page shows as before.
import type { RunDetail } from '@curio/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../api/http.js';
import { apiKey } from '../api/queries.js';
import { loadMetricSeries, type MetricSeries } from './metrics.js';

const RUN_PAGE = /^\/runs\/([^/]+)\/?$/;

let preloaded: { runId: string; series: Promise<MetricSeries> } | undefined;

/** Start loading the run page at `pathname`, if it is one. */
export function preloadRunPage(client: QueryClient, pathname: string): void {
  const match = RUN_PAGE.exec(pathname);
  if (!match) return;
  const runId = decodeURIComponent(match[1]!);
  void import('../pages/run/run-page.js');
  const path = `/v1/runs/${encodeURIComponent(runId)}`;
  void client.prefetchQuery({ queryKey: apiKey(path), queryFn: () => api.get<RunDetail>(path) });
  const series = loadMetricSeries(runId);
  series.catch(() => undefined); // taken (and its error shown) by the page, or dropped
  preloaded = { runId, series };
}

/** The metric history preloaded for `runId`, once; later loads fetch anew. */
export function takePreloadedSeries(runId: string): Promise<MetricSeries> | undefined {
  if (preloaded?.runId !== runId) return undefined;
  const { series } = preloaded;
  preloaded = undefined;
  return series;
}
