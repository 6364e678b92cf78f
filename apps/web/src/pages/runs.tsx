// The runs list: status and experiment filters and a search (`q`, answered by the server over
// all the team's runs), all in the URL; pages; statuses kept live by polling while any run on
// the page is unfinished.
import {
  isUnfinishedStatus,
  RUN_STATUSES,
  type Experiment,
  type Page,
  type Run,
} from '@curio/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../api/http.js';
import { useAll, useApi } from '../api/queries.js';
import { DataTable } from '../ui/data-table.js';
import { formatCost, formatDuration, formatTime, secondsBetween } from '../ui/format.js';
import { ErrorBox, Field, Loading, PageHeader, Pager, StatusBadge } from '../ui/parts.js';

const PAGE_SIZE = 25;
/** How long typing pauses before the search goes to the server. */
const SEARCH_DELAY_MS = 300;

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const experimentId = params.get('experiment') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  if (q !== shownQ) {
    // The URL's q changed (back, a link): the box follows it.
    setShownQ(q);
    if (search.trim() !== q) setSearch(q);
  }
  const [cursors, setCursors] = useState<string[]>([]);
  const experiments = useAll<Experiment>('/v1/experiments');
  const names = useMemo(
    () => new Map((experiments.data ?? []).map((e) => [e.id, e.name])),
    [experiments.data],
  );
  const path = withQuery('/v1/runs', {
    status,
    experimentId,
    q,
    limit: PAGE_SIZE,
    cursor: cursors.at(-1),
  });
  const [live, setLive] = useState(true);
  const runs = useApi<Page<Run>>(path, { refetchMs: live ? 3000 : undefined });
  const items = runs.data?.items ?? [];
  const anyUnfinished = items.some((r) => isUnfinishedStatus(r.status));
  if (runs.data && live !== anyUnfinished) setLive(anyUnfinished);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setCursors([]);
  };
  useEffect(() => {
    if (search.trim() === q) return;
    const typing = setTimeout(() => setFilter('q', search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(typing);
  });

  return (
    <section>
      <PageHeader title="Runs">
        <Link className="button" to="/experiments">
          Start a run
        </Link>
      </PageHeader>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Experiment">
          {(id) => (
            <select
              id={id}
              value={experimentId}
              onChange={(e) => setFilter('experiment', e.target.value)}
            >
              <option value="">any</option>
              {(experiments.data ?? []).map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Search">
          {(id) => (
            <input
              id={id}
              type="search"
              value={search}
              placeholder="id, experiment, status, device, error"
              onChange={(e) => setSearch(e.target.value)}
            />
          )}
        </Field>
      </form>
      <ErrorBox error={runs.error} />
      {runs.isPending ? <Loading what="runs" /> : <RunTable runs={items} names={names} />}
      <Pager
        hasPrev={cursors.length > 0}
        hasNext={Boolean(runs.data?.nextCursor)}
        onPrev={() => setCursors(cursors.slice(0, -1))}
        onNext={() => setCursors([...cursors, runs.data!.nextCursor!])}
      />
    </section>
  );
}

function RunTable({ runs, names }: { runs: Run[]; names: Map<string, string> }) {
  return (
    <DataTable
      caption="Runs, newest first"
      empty="No runs match."
      columns={['Run', 'Experiment', 'Status', 'Device', 'Time', 'Cost', 'Created']}
      items={runs}
      row={(r) => (
        <>
          <td>
            <Link to={`/runs/${r.id}`}>{r.id}</Link>
          </td>
          <td>{names.get(r.experimentId) ?? r.experimentId}</td>
          <td>
            <StatusBadge status={r.status} />
          </td>
          <td>{r.device ?? '—'}</td>
          <td>{r.startedAt ? formatDuration(secondsBetween(r.startedAt, r.finishedAt)) : '—'}</td>
          <td>{formatCost(r.costEstimate)}</td>
          <td>{formatTime(r.createdAt)}</td>
        </>
      )}
    />
  );
}
