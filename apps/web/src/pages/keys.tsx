// API keys: create one (its secret shown once, with a copy button), the list with prefix and
// last use, revoke.
import { ROLES, type ApiKey, type ApiKeyCreated, type Role } from '@curio/contracts';
import { useState } from 'react';
import { api } from '../api/http.js';
import { useAll, useInvalidate } from '../api/queries.js';
import { useCanWrite } from '../session/session.js';
import { formatTime } from '../ui/format.js';
import { PageHeader, TextField } from '../ui/parts.js';
import { QueryTable } from '../ui/data-table.js';
import { FormCard } from '../ui/form-card.js';
import { SelectField } from '../ui/select-field.js';
import { useSubmit } from '../ui/use-submit.js';

export function KeysPage() {
  const keys = useAll<ApiKey>('/v1/keys');
  const canWrite = useCanWrite();
  const invalidate = useInvalidate();
  const [error, setError] = useState<unknown>(null);
  const revoke = (k: ApiKey) => {
    if (
      !window.confirm(`Revoke the key "${k.name}" (${k.prefix}…)? Programs using it stop working.`)
    )
      return;
    api.delete(`/v1/keys/${k.id}`).then(() => invalidate('/v1/keys'), setError);
  };
  return (
    <section>
      <PageHeader title="API keys" />
      <p>Keys let programs (the curio CLI, scripts) act for your team with a role.</p>
      {canWrite && <CreateKey />}
      <QueryTable
        query={keys}
        what="keys"
        error={error}
        caption="API keys"
        columns={['Name', 'Prefix', 'Role', 'Last used', 'Created', 'State']}
        row={(k) => (
          <>
            <td>{k.name}</td>
            <td className="mono">{k.prefix}…</td>
            <td>{k.role}</td>
            <td>{formatTime(k.lastUsedAt)}</td>
            <td>{formatTime(k.createdAt)}</td>
            <td>
              {k.revokedAt ? (
                `revoked ${formatTime(k.revokedAt)}`
              ) : canWrite ? (
                <button type="button" className="danger" onClick={() => revoke(k)}>
                  Revoke {k.name}
                </button>
              ) : (
                'active'
              )}
            </td>
          </>
        )}
      />
    </section>
  );
}

function CreateKey() {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [copied, setCopied] = useState(false);
  const invalidate = useInvalidate();
  const s = useSubmit(async () => {
    setCreated(await api.post<ApiKeyCreated>('/v1/keys', { name, role }));
    setCopied(false);
    setName('');
    await invalidate('/v1/keys');
  });
  return (
    <FormCard
      title="New key"
      submit={s}
      submitLabel="Create key"
      after={
        created && (
          <div className="secret" role="status">
            <p>
              The secret of <strong>{created.name}</strong>, shown this once:
            </p>
            <code className="mono" data-testid="new-key-secret">
              {created.secret}
            </code>{' '}
            <button
              type="button"
              onClick={() =>
                navigator.clipboard.writeText(created.secret).then(() => setCopied(true))
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        )
      }
    >
      <div className="form-grid">
        <TextField
          label="Key name"
          required
          value={name}
          onChange={setName}
          error={s.fields.name}
        />
        <SelectField
          label="Key role"
          value={role}
          options={ROLES}
          onChange={setRole}
          error={s.fields.role}
        />
      </div>
    </FormCard>
  );
}
