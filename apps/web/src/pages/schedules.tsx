// Schedules: the list (pause / resume / delete, the runs each started) and a create form.
import {
  ScheduleCreate,
  type Experiment,
  type Page,
  type Schedule,
  type ScheduleFiring,
} from '@curio/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/http.js';
import { useAll, useApi, useInvalidate } from '../api/queries.js';
import { useCanWrite } from '../session/session.js';
import { formatTime } from '../ui/format.js';
import { Field, PageHeader, TextField } from '../ui/parts.js';
import { QueryTable } from '../ui/data-table.js';
import { FormCard } from '../ui/form-card.js';
import { useSubmit } from '../ui/use-submit.js';
import { issuesByPath } from '../ui/zod-issues.js';

function when(s: Schedule): string {
  if (s.everyMinutes) return `every ${s.everyMinutes} min`;
  if (s.at) return `daily at ${s.at.join(', ')} UTC`;
  return `cron ${s.cron ?? ''}`;
}

export function SchedulesPage() {
  const schedules = useAll<Schedule>('/v1/schedules');
  const experiments = useAll<Experiment>('/v1/experiments');
  const names = new Map((experiments.data ?? []).map((e) => [e.id, e.name]));
  const canWrite = useCanWrite();
  const invalidate = useInvalidate();
  const [error, setError] = useState<unknown>(null);
  const act = (f: () => Promise<unknown>) => () =>
    f().then(() => invalidate('/v1/schedules'), setError);
  return (
    <section>
      <PageHeader title="Schedules" />
      <QueryTable
        query={schedules}
        what="schedules"
        error={error}
        caption="Schedules"
        empty="No schedules yet."
        columns={['Experiment', 'When', 'State', 'Next', 'Runs started', canWrite && 'Actions']}
        row={(s) => (
          <>
            <td>
              <Link to={`/runs?experiment=${s.experimentId}`}>
                {names.get(s.experimentId) ?? s.experimentId}
              </Link>
            </td>
            <td>{when(s)}</td>
            <td>{s.enabled ? 'active' : 'paused'}</td>
            <td>{s.enabled ? formatTime(s.nextRunAt) : '—'}</td>
            <td>
              <StartedRuns schedule={s} />
            </td>
            {canWrite && (
              <td className="row-actions">
                <button
                  type="button"
                  onClick={act(() => api.patch(`/v1/schedules/${s.id}`, { enabled: !s.enabled }))}
                >
                  {s.enabled ? 'Pause' : 'Resume'}
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={act(() => api.delete(`/v1/schedules/${s.id}`))}
                >
                  Delete
                </button>
              </td>
            )}
          </>
        )}
      />
      {canWrite && <CreateSchedule experiments={experiments.data ?? []} />}
    </section>
  );
}

const SHOWN_FIRINGS = 10;

/** The runs a schedule started, newest first (its last firings; skipped ones leave no run). */
function StartedRuns({ schedule }: { schedule: Schedule }) {
  const firings = useApi<Page<ScheduleFiring>>(
    `/v1/schedules/${schedule.id}/firings?limit=${SHOWN_FIRINGS}`,
  );
  if (firings.error) return <>could not load its runs</>;
  if (!firings.data) return <>…</>;
  const started = firings.data.items.filter((f) => f.runId !== null);
  if (started.length === 0) return <>none yet</>;
  return (
    <ul className="plain" aria-label={`Runs started by the schedule of ${schedule.experimentId}`}>
      {started.map((f) => (
        <li key={f.id}>
          <Link to={`/runs/${f.runId}`}>{f.runId}</Link> {formatTime(f.firedAt)}
        </li>
      ))}
      {firings.data.nextCursor && <li>(the last {SHOWN_FIRINGS} firings)</li>}
    </ul>
  );
}

type Kind = 'everyMinutes' | 'at' | 'cron';

function CreateSchedule({ experiments }: { experiments: Experiment[] }) {
  const [experimentId, setExperimentId] = useState('');
  const [kind, setKind] = useState<Kind>('everyMinutes');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const invalidate = useInvalidate();
  const s = useSubmit(async () => {
    const timing =
      kind === 'everyMinutes'
        ? { everyMinutes: Number(value) }
        : kind === 'at'
          ? { at: value.split(/[,\s]+/).filter(Boolean) }
          : { cron: value };
    const body = { experimentId, ...timing };
    const parsed = ScheduleCreate.safeParse(body);
    setErrors(parsed.success ? {} : issuesByPath(parsed.error));
    if (!parsed.success) return;
    await api.post('/v1/schedules', body);
    setValue('');
    await invalidate('/v1/schedules');
  });
  const all = { ...errors, ...s.fields };
  const valueError = Object.entries(all).find(([k]) => k.startsWith(kind))?.[1];
  return (
    <FormCard title="New schedule" submit={s} submitLabel="Create schedule">
      <div className="form-grid">
        <Field label="Experiment" error={all.experimentId}>
          {(id) => (
            <select id={id} value={experimentId} onChange={(e) => setExperimentId(e.target.value)}>
              <option value="">choose…</option>
              {experiments.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Repeat">
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="everyMinutes">every N minutes</option>
              <option value="at">daily at times (UTC)</option>
              <option value="cron">cron expression</option>
            </select>
          )}
        </Field>
        <TextField
          label={
            kind === 'everyMinutes'
              ? 'Minutes'
              : kind === 'at'
                ? 'Times (HH:MM, comma-separated)'
                : 'Cron (5 fields, UTC)'
          }
          required
          value={value}
          onChange={setValue}
          error={valueError}
        />
      </div>
    </FormCard>
  );
}
