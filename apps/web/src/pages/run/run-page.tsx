// A run: summary, curves, curation, evaluations, checkpoints and event log, live while it runs.
import { Link, useParams } from 'react-router';
import { useLiveRun } from '../../runs/use-live-run.js';
import { ErrorBox, Loading, PageHeader, StatusBadge } from '../../ui/parts.js';
import { Checkpoints } from './checkpoints.js';
import { CurationPanel } from './curation-panel.js';
import { EvaluationsSection } from './evaluations.js';
import { EventLog } from './event-log.js';
import { MetricCharts } from './metric-charts.js';
import { RunActions } from './run-actions.js';
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
