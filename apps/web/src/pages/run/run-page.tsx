// A run: summary, curves, curation, evaluations, checkpoints and event log, live while it runs.
import { isFinalStatus, type Run, type RunDetail } from '@curio/contracts';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/http.js';
import { useInvalidate } from '../../api/queries.js';
import { useLiveRun } from '../../runs/use-live-run.js';
import { useCanWrite } from '../../session/session.js';
import { ErrorBox, Loading, PageHeader, StatusBadge } from '../../ui/parts.js';
import { useAction } from '../../ui/use-submit.js';
import { Checkpoints } from './checkpoints.js';
import { CurationPanel } from './curation-panel.js';
import { EvaluationsSection } from './evaluations.js';
import { EventLog } from './event-log.js';
import { MetricCharts } from './metric-charts.js';
import { RunSummary } from './run-summary.js';

export function RunPage() {
  const { id = '' } = useParams();
  const run = useLiveRun(id);
  if (run.error) return <ErrorBox error={run.error} />;
  if (!run.detail) return <Loading what="the run" />;
  const d = run.detail;
  return (
    <article className="run-page" aria-labelledby="run-title">
      <PageHeader title={`Run ${d.id}`}>
        <StatusBadge status={d.status} />
        {run.live && (
          <span className="live" aria-label="Live updates on">
            ● live
          </span>
        )}
        <RunActions run={d} />
      </PageHeader>
      <nav aria-label="Sections of this run" className="in-page">
        <a href="#summary">Summary</a> <a href="#curves">Curves</a> <a href="#curation">Curation</a>{' '}
        <a href="#evaluations">Evaluations</a> <a href="#checkpoints">Checkpoints</a>{' '}
        <a href="#events">Events</a> <Link to={`/compare?runs=${d.id}`}>Compare…</Link>
      </nav>
      <ErrorBox error={run.historyError} />
      <RunSummary run={d} series={run.series} />
      <MetricCharts run={d} series={run.series} />
      <CurationPanel runId={d.id} events={run.events} />
      <EvaluationsSection run={d} />
      <Checkpoints run={d} />
      <EventLog events={run.events} />
    </article>
  );
}

/** Cancel (an unfinished run) and retry (a finished one: a new run of the same experiment). */
function RunActions({ run }: { run: RunDetail }) {
  const canWrite = useCanWrite();
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const { busy, error, run: act } = useAction();
  if (!canWrite) return null;
  const cancel = () =>
    act(async () => {
      await api.post(`/v1/runs/${run.id}/cancel`);
      await invalidate(`/v1/runs/${run.id}`);
    });
  const retry = () =>
    act(async () => {
      const next = await api.post<Run>('/v1/runs', {
        experimentId: run.experimentId,
        maxAttempts: run.maxAttempts,
        budget: {
          maxMinutes: run.budget.maxMinutes ?? undefined,
          maxCost: run.budget.maxCost ?? undefined,
        },
        targetAccuracy: run.targetAccuracy ?? undefined,
        targetEvalSet: run.targetEvalSet ?? undefined,
        device: run.device ?? undefined,
      });
      await invalidate('/v1/runs');
      navigate(`/runs/${next.id}`);
    });
  return (
    <>
      {!isFinalStatus(run.status) ? (
        <button type="button" className="danger" disabled={busy} onClick={cancel}>
          Cancel run
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={retry}>
          Retry as a new run
        </button>
      )}
      <ErrorBox error={error} />
    </>
  );
}
