// A new experiment: the common settings as a form, or the whole body as JSON. Both are checked
// in the browser by ExperimentCreate, the API's own schema, with each error at its field.
import type { EvalSet, Experiment, MetadataSet, Pool } from '@curio/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/http.js';
import { useAll, useInvalidate } from '../api/queries.js';
import {
  checkExperiment,
  checkExperimentJson,
  CURATION_MODES,
  draftOf,
  EMPTY_FORM,
  formErrors,
  PRESETS,
  type ExperimentForm,
} from '../experiments/draft.js';
import { ErrorBox, Field, PageHeader, TextField } from '../ui/parts.js';
import { TextArea } from '../ui/text-area.js';
import { useSubmit } from '../ui/use-submit.js';

export function NewExperimentPage() {
  const [form, setForm] = useState<ExperimentForm>(EMPTY_FORM);
  const [json, setJson] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const advanced = json !== null;
  const s = useSubmit(async () => {
    const checked = json !== null ? checkExperimentJson(json) : checkExperiment(draftOf(form));
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    const created = await api.post<Experiment>('/v1/experiments', checked.body);
    await invalidate('/v1/experiments');
    navigate(`/experiments/${created.id}`);
  });
  const all = { ...errors, ...s.fields };
  const onJson = (text: string) => {
    setJson(text);
    const checked = checkExperimentJson(text);
    setErrors(checked.ok ? {} : checked.errors);
  };
  return (
    <section>
      <PageHeader title="New experiment" />
      <form onSubmit={s.onSubmit} aria-label="New experiment" noValidate>
        <label className="check">
          <input
            type="checkbox"
            checked={advanced}
            onChange={(e) => {
              setErrors({});
              setJson(e.target.checked ? JSON.stringify(draftOf(form), null, 2) : null);
            }}
          />{' '}
          Advanced: edit the whole experiment as JSON
        </label>
        {json !== null ? (
          <JsonEditor text={json} onChange={onJson} errors={all} />
        ) : (
          <SettingsForm form={form} onChange={setForm} errors={formErrors(all)} />
        )}
        {Object.keys(all).length > 0 && <IssueList errors={all} />}
        <ErrorBox error={s.error} />
        <button type="submit" disabled={s.busy}>
          Create experiment
        </button>
      </form>
    </section>
  );
}

function IssueList({ errors }: { errors: Record<string, string> }) {
  return (
    <div className="error-box" role="alert">
      <p>Fix these fields:</p>
      <ul>
        {Object.entries(errors).map(([path, message]) => (
          <li key={path}>
            <code>{path}</code>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function JsonEditor(props: {
  text: string;
  onChange: (t: string) => void;
  errors: Record<string, string>;
}) {
  const valid = Object.keys(props.errors).length === 0;
  return (
    <TextArea
      label="Experiment JSON"
      className="json"
      rows={24}
      hint={
        valid
          ? 'Valid: the API will accept this shape.'
          : 'Checked as you type by the API’s schema.'
      }
      value={props.text}
      onChange={props.onChange}
      error={props.errors['(json)']}
    />
  );
}

/** The step counts, time and seed of the settings form, in the order they show. */
const TRAINING_NUMBERS = [
  ['maxSteps', 'Max steps'],
  ['maxMinutes', 'Max minutes'],
  ['evalEvery', 'Evaluate every (steps)'],
  ['checkpointEvery', 'Checkpoint every (steps)'],
  ['seed', 'Seed'],
] as const satisfies readonly (readonly [keyof ExperimentForm, string])[];

function SettingsForm(props: {
  form: ExperimentForm;
  onChange: (f: ExperimentForm) => void;
  errors: Partial<Record<keyof ExperimentForm, string>>;
}) {
  const { form, onChange, errors } = props;
  const pools = useAll<Pool>('/v1/pools');
  const metadata = useAll<MetadataSet>('/v1/metadata-sets');
  const evalSets = useAll<EvalSet>('/v1/eval-sets');
  const set = (k: keyof ExperimentForm) => (v: string) => onChange({ ...form, [k]: v });
  const select = (
    k: 'poolId' | 'metadataSetId' | 'preset' | 'curation',
    label: string,
    options: { id: string; name: string }[],
  ) => (
    <Field label={label} error={errors[k]}>
      {(id, describedBy) => (
        <select
          id={id}
          value={form[k]}
          aria-describedby={describedBy}
          onChange={(e) => set(k)(e.target.value)}
        >
          {(k === 'poolId' || k === 'metadataSetId') && <option value="">choose…</option>}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const named = (xs: readonly string[]) => xs.map((x) => ({ id: x, name: x }));
  return (
    <div className="form-grid">
      <TextField
        label="Experiment name"
        required
        value={form.name}
        onChange={set('name')}
        error={errors.name}
      />
      <TextField
        label="Description"
        value={form.description}
        onChange={set('description')}
        error={errors.description}
      />
      {select('poolId', 'Pool', pools.data ?? [])}
      {select('metadataSetId', 'Metadata set', metadata.data ?? [])}
      <fieldset>
        <legend>Eval sets</legend>
        {(evalSets.data ?? []).map((e) => (
          <label key={e.id} className="check">
            <input
              type="checkbox"
              checked={form.evalSetIds.includes(e.id)}
              onChange={(ev) =>
                onChange({
                  ...form,
                  evalSetIds: ev.target.checked
                    ? [...form.evalSetIds, e.id]
                    : form.evalSetIds.filter((x) => x !== e.id),
                })
              }
            />{' '}
            {e.name}
          </label>
        ))}
        {evalSets.data?.length === 0 && <p>No eval sets yet.</p>}
      </fieldset>
      {select('preset', 'Model preset', named(PRESETS))}
      {select('curation', 'Curation', named(CURATION_MODES))}
      <TextField
        label="Batch size"
        type="number"
        value={form.batchSize}
        onChange={set('batchSize')}
        error={errors.batchSize}
      />
      <TextField label="Learning rate" value={form.lr} onChange={set('lr')} error={errors.lr} />
      {TRAINING_NUMBERS.map(([k, label]) => (
        <TextField
          key={k}
          label={label}
          type="number"
          value={form[k]}
          onChange={set(k)}
          error={errors[k]}
        />
      ))}
    </div>
  );
}
