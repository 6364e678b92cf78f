// Eval sets: the list (classes with their test samples) and a create form (a clip_benchmark folder the team was granted).
import type { EvalSet } from '@curio/contracts';
import { useState } from 'react';
import { api } from '../api/http.js';
import { useAll, useInvalidate } from '../api/queries.js';
import { useCanWrite } from '../session/session.js';
import { formatTime } from '../ui/format.js';
import { PageHeader, TextField } from '../ui/parts.js';
import { QueryTable } from '../ui/data-table.js';
import { FormCard } from '../ui/form-card.js';
import { useSubmit } from '../ui/use-submit.js';

export function EvalSetsPage() {
  const sets = useAll<EvalSet>('/v1/eval-sets');
  const canWrite = useCanWrite();
  return (
    <section>
      <PageHeader title="Eval sets" />
      <QueryTable
        query={sets}
        what="eval sets"
        caption="Eval sets"
        empty="No eval sets yet."
        columns={['Name', 'Classes', 'Samples', 'Location', 'Description', 'Created']}
        row={(e) => (
          <>
            <td>{e.name}</td>
            <td>
              <ClassCounts set={e} />
            </td>
            <td>{e.sampleCount ?? 'not counted'}</td>
            <td className="mono">{e.location}</td>
            <td>{e.description ?? ''}</td>
            <td>{formatTime(e.createdAt)}</td>
          </>
        )}
      />
      {canWrite && <CreateEvalSet />}
    </section>
  );
}

const SHOWN_CLASSES = 5;

/** The classes with their sample counts: the first few, the rest behind a disclosure. */
function ClassCounts({ set }: { set: EvalSet }) {
  if (!set.classes) return <>not counted</>;
  const line = (c: { name: string; sampleCount: number }) => (
    <li key={c.name}>
      {c.name}: {c.sampleCount}
    </li>
  );
  const rest = set.classes.slice(SHOWN_CLASSES);
  return (
    <>
      {set.classes.length} classes
      <ul className="plain">{set.classes.slice(0, SHOWN_CLASSES).map(line)}</ul>
      {rest.length > 0 && (
        <details>
          <summary>{rest.length} more</summary>
          <ul className="plain">{rest.map(line)}</ul>
        </details>
      )}
    </>
  );
}

function CreateEvalSet() {
  const [form, setForm] = useState({ name: '', location: '', description: '' });
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const invalidate = useInvalidate();
  const s = useSubmit(async () => {
    await api.post('/v1/eval-sets', { ...form, description: form.description || undefined });
    setForm({ name: '', location: '', description: '' });
    await invalidate('/v1/eval-sets');
  });
  return (
    <FormCard title="New eval set" submit={s} submitLabel="Add eval set">
      <TextField
        label="Eval set name"
        required
        value={form.name}
        onChange={set('name')}
        error={s.fields.name}
      />
      <TextField
        label="Location"
        required
        hint="A clip_benchmark folder: classnames.txt, templates, test/*.tar."
        value={form.location}
        onChange={set('location')}
        error={s.fields.location}
      />
      <TextField
        label="Description"
        value={form.description}
        onChange={set('description')}
        error={s.fields.description}
      />
    </FormCard>
  );
}
