// A run as the run page shows it: its detail, metric series and event log, loaded at once and
// then kept live from the run's stream while it is unfinished. History and live points are both merged
// (by step, by seq), so neither order of arrival loses any.
import {
  isFinalStatus,
  type Evaluation,
  type RunDetail,
  type RunEvent,
  type RunMetric,
} from '@curio/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiKey, fetchAll } from '../api/queries.js';
import { api } from '../api/http.js';
import { useRunStream, type RunStreamMessage } from '../api/run-stream.js';
import { addPoints, loadMetricSeries, type MetricSeries } from './metrics.js';
import { takePreloadedSeries } from './preload.js';

export interface LiveRun {
  detail: RunDetail | undefined;
  error: unknown;
  /** Loading the metric history or the event log failed. */
  historyError: unknown;
  series: MetricSeries;
  events: RunEvent[];
  live: boolean;
}

function withEvaluation(detail: RunDetail, e: Evaluation): RunDetail {
  const rest = detail.evaluations.filter((x) => x.id !== e.id);
  return { ...detail, evaluations: [...rest, e].sort((a, b) => a.step - b.step) };
}

function mergeEvents(a: readonly RunEvent[], b: readonly RunEvent[]): RunEvent[] {
  const bySeq = new Map(a.map((e) => [e.seq, e]));
  for (const e of b) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

/** How long a fetched run detail counts as fresh. */
const DETAIL_FRESH_MS = 5_000;

export function useLiveRun(runId: string): LiveRun {
  const client = useQueryClient();
  const path = `/v1/runs/${encodeURIComponent(runId)}`;
  // Fresh for a few seconds: the detail the preload just fetched is not fetched again on mount
  // (the stream keeps a live run's detail current after that).
  const detail = useQuery({
    queryKey: apiKey(path),
    queryFn: () => api.get<RunDetail>(path),
    staleTime: DETAIL_FRESH_MS,
  });
  const [series, setSeries] = useState<MetricSeries>(new Map());
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [historyError, setHistoryError] = useState<unknown>(null);

  // The series and the event log load side by side; each is shown as soon as it is in.
  const loadHistory = useCallback(
    async (series: Promise<MetricSeries>) => {
      await Promise.all([
        series.then((history) => setSeries((s) => mergeSeries(s, history))),
        fetchAll<RunEvent>(`${path}/events`).then((log) => setEvents((e) => mergeEvents(e, log))),
      ]);
    },
    [path],
  );

  // The history loads at once (preloaded when the page was opened at its address). A live run's
  // loads again when its stream has opened (the stream sends the points written after that), so
  // no point written in between is missed.
  const caughtUp = useRef(false);
  const catchUp = useCallback(() => {
    if (caughtUp.current) return;
    caughtUp.current = true;
    loadHistory(loadMetricSeries(runId)).catch(setHistoryError);
  }, [loadHistory, runId]);
  useEffect(() => {
    caughtUp.current = false;
    setSeries(new Map());
    setEvents([]);
    setHistoryError(null);
    loadHistory(takePreloadedSeries(runId) ?? loadMetricSeries(runId)).catch(setHistoryError);
  }, [runId, loadHistory]);

  const status = detail.data?.status;
  const live = status !== undefined && !isFinalStatus(status);
  const onMessage = useCallback(
    (m: RunStreamMessage) => {
      catchUp();
      const update = (f: (d: RunDetail) => RunDetail) =>
        client.setQueryData<RunDetail>(apiKey(path), (d) => (d ? f(d) : d));
      if (m.name === 'run' || m.name === 'end') update((d) => ({ ...d, ...m.data }));
      if (m.name === 'end') void client.invalidateQueries({ queryKey: apiKey(path) });
      if (m.name === 'metrics') setSeries((s) => addPoints(s, m.data.points as RunMetric[]));
      if (m.name === 'evaluation') update((d) => withEvaluation(d, m.data));
      if (m.name === 'event') {
        setEvents((e) => mergeEvents(e, [m.data]));
        if (m.data.type === 'checkpoint') void client.invalidateQueries({ queryKey: apiKey(path) });
      }
    },
    [client, path, catchUp],
  );
  useRunStream(runId, live, onMessage);
  return { detail: detail.data, error: detail.error, historyError, series, events, live };
}

function mergeSeries(a: MetricSeries, b: MetricSeries): MetricSeries {
  let out = a;
  for (const [name, points] of b)
    out = addPoints(
      out,
      points.map((p) => ({ name, step: p.step, value: p.value, at: new Date(p.at).toISOString() })),
    );
  return out;
}
