// Experiments: the list, and an experiment's page with its config, its runs and a start form
// (budget, target accuracy, device), checked by RunCreate before it is sent.
import { RunCreate, type EvalSet, type Experiment, type Page, type Run } from '@curio/contracts';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/http.js';
import { useAll, useApi, useInvalidate } from '../api/queries.js';
import { useCanWrite } from '../session/session.js';
import { formatTime } from '../ui/format.js';
import { ErrorBox, Field, Loading, PageHeader, StatusBadge, TextField } from '../ui/parts.js';
import { QueryTable } from '../ui/data-table.js';
import { FormCard } from '../ui/form-card.js';
import { useSubmit } from '../ui/use-submit.js';
import { issuesByPath } from '../ui/zod-issues.js';

export function ExperimentsPage() {
  const experiments = useAll<Experiment>('/v1/experiments');
  const canWrite = useCanWrite();
  return (
    <section>
      <PageHeader title="Experiments">
        {canWrite && (
          <Link className="button" to="/experiments/new">
            New experiment
          </Link>
        )}
      </PageHeader>
      <QueryTable
        query={experiments}
        what="experiments"
        caption="Experiments"
        empty="No experiments yet."
        columns={['Name', 'Preset', 'Curation', 'Updated']}
        row={(e) => (
          <>
            <td>
              <Link to={`/experiments/${e.id}`}>{e.name}</Link>
            </td>
            <td>{e.config.model?.preset ?? 'tiny'}</td>
            <td>{e.config.curation?.mode ?? 'cit'}</td>
            <td>{formatTime(e.updatedAt)}</td>
          </>
        )}
      />
    </section>
  );
}

export function ExperimentPage() {
  const { id = '' } = useParams();
  const experiment = useApi<Experiment>(`/v1/experiments/${encodeURIComponent(id)}`);
  const runs = useApi<Page<Run>>(`/v1/runs?experimentId=${encodeURIComponent(id)}&limit=20`, {
    refetchMs: 5000,
  });
  const canWrite = useCanWrite();
  if (experiment.error) return <ErrorBox error={experiment.error} />;
  if (!experiment.data) return <Loading what="the experiment" />;
  const e = experiment.data;
  return (
    <section>
      <PageHeader title={`Experiment ${e.name}`} />
      {e.description && <p>{e.description}</p>}
      {canWrite && <StartRun experiment={e} />}
      <div className="card">
        <h2>Runs</h2>
        <ul>
          {(runs.data?.items ?? []).map((r) => (
            <li key={r.id}>
              <Link to={`/runs/${r.id}`}>{r.id}</Link> <StatusBadge status={r.status} />{' '}
              {formatTime(r.createdAt)}
            </li>
          ))}
          {runs.data?.items.length === 0 && <li>No runs yet.</li>}
        </ul>
      </div>
      <div className="card">
        <h2>Config</h2>
        <pre className="json">{JSON.stringify(e.config, null, 2)}</pre>
      </div>
    </section>
  );
}

function StartRun({ experiment }: { experiment: Experiment }) {
  const [form, setForm] = useState({
    maxMinutes: '',
    maxCost: '',
    targetAccuracy: '',
    targetEvalSet: '',
    device: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const evalSets = useAll<EvalSet>('/v1/eval-sets');
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const num = (t: string) => (t.trim() ? Number(t) : undefined);
  const s = useSubmit(async () => {
    const body = {
      experimentId: experiment.id,
      budget: { maxMinutes: num(form.maxMinutes), maxCost: num(form.maxCost) },
      targetAccuracy: form.targetAccuracy.trim() ? Number(form.targetAccuracy) / 100 : undefined,
      targetEvalSet: form.targetEvalSet || undefined,
      device: form.device || undefined,
    };
    const parsed = RunCreate.safeParse(body);
    setErrors(parsed.success ? {} : issuesByPath(parsed.error));
    if (!parsed.success) return;
    const run = await api.post<Run>('/v1/runs', body);
    await invalidate('/v1/runs');
    navigate(`/runs/${run.id}`);
  });
  const all = { ...errors, ...s.fields };
  const inSpec = new Set(experiment.config.evalSetIds ?? []);
  return (
    <FormCard title="Start a run" submit={s} submitLabel="Start run">
      <div className="form-grid">
        <TextField
          label="Budget: max minutes"
          type="number"
          value={form.maxMinutes}
          onChange={set('maxMinutes')}
          error={all['budget.maxMinutes']}
        />
        <TextField
          label="Budget: max cost (USD)"
          type="number"
          value={form.maxCost}
          onChange={set('maxCost')}
          error={all['budget.maxCost']}
        />
        <TextField
          label="Target top-1 accuracy (%)"
          type="number"
          value={form.targetAccuracy}
          onChange={set('targetAccuracy')}
          error={all.targetAccuracy}
        />
        <Field label="Target eval set" error={all.targetEvalSet}>
          {(id) => (
            <select
              id={id}
              value={form.targetEvalSet}
              onChange={(e) => set('targetEvalSet')(e.target.value)}
            >
              <option value="">the first</option>
              {(evalSets.data ?? [])
                .filter((e) => inSpec.has(e.id))
                .map((e) => (
                  <option key={e.id} value={e.name}>
                    {e.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <TextField
          label="Device"
          hint="A device kind of the server's price table, e.g. cpu; empty: the server's default."
          value={form.device}
          onChange={set('device')}
          error={all.device}
        />
      </div>
    </FormCard>
  );
}
