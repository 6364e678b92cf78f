// Eval sets: the list and a create form (a clip_benchmark folder the team was granted).
import type { EvalSet } from '@curio/contracts';
import { useState } from 'react';
import { api } from '../api/http.js';
import { useAll, useInvalidate } from '../api/queries.js';
import { useCanWrite } from '../session/session.js';
import { formatTime } from '../ui/format.js';
import { ErrorBox, Loading, PageHeader, TextField } from '../ui/parts.js';
import { useSubmit } from '../ui/use-submit.js';

export function EvalSetsPage() {
  const sets = useAll<EvalSet>('/v1/eval-sets');
  const canWrite = useCanWrite();
  return (
    <section>
      <PageHeader title="Eval sets" />
      <ErrorBox error={sets.error} />
      {sets.isPending ? (
        <Loading what="eval sets" />
      ) : sets.data!.length === 0 ? (
        <p>No eval sets yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Eval sets</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Location</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {sets.data!.map((e) => (
                <tr key={e.id}>
                  <td>{e.name}</td>
                  <td className="mono">{e.location}</td>
                  <td>{e.description ?? ''}</td>
                  <td>{formatTime(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && <CreateEvalSet />}
    </section>
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
    <form className="card" onSubmit={s.onSubmit} aria-labelledby="new-eval">
      <h2 id="new-eval">New eval set</h2>
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
      <ErrorBox error={s.error} />
      <button type="submit" disabled={s.busy}>
        Add eval set
      </button>
    </form>
  );
}
