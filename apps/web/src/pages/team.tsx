// The team: who is in it (members, their roles), and invites (a single-use link with a role) for
// new members.
import { ROLES, type Invite, type InviteCreated, type Role } from '@curio/contracts';
import { useState } from 'react';
import { api } from '../api/http.js';
import { useAll, useInvalidate } from '../api/queries.js';
import { useSession } from '../session/session.js';
import { formatTime } from '../ui/format.js';
import { PageHeader, TextField } from '../ui/parts.js';
import { FormCard } from '../ui/form-card.js';
import { SelectField } from '../ui/select-field.js';
import { LoadedList } from '../ui/data-table.js';
import { useSubmit } from '../ui/use-submit.js';
import { Members } from './team-members.js';

export function TeamPage() {
  const session = useSession();
  return (
    <section>
      <PageHeader title={`Team ${session.team.name}`} />
      <p>
        You are {session.user.name ?? session.user.email}, {session.role} of this team.
      </p>
      <Members />
      {session.role === 'owner' ? <Invites /> : <p>Only owners invite people.</p>}
    </section>
  );
}

function Invites() {
  const invites = useAll<Invite>('/v1/invites');
  return (
    <>
      <CreateInvite />
      <div className="card">
        <h2>Invites</h2>
        <LoadedList query={invites} what="invites">
          {(items) => (
            <ul>
              {items.map((i) => (
                <li key={i.id}>
                  {i.role} {i.email ? `for ${i.email}` : ''} —{' '}
                  {i.usedAt
                    ? `accepted ${formatTime(i.usedAt)}`
                    : `expires ${formatTime(i.expiresAt)}`}
                </li>
              ))}
              {items.length === 0 && <li>No invites yet.</li>}
            </ul>
          )}
        </LoadedList>
      </div>
    </>
  );
}

function CreateInvite() {
  const [role, setRole] = useState<Role>('member');
  const [email, setEmail] = useState('');
  const [link, setLink] = useState<{ role: Role; url: string } | null>(null);
  const invalidate = useInvalidate();
  const s = useSubmit(async () => {
    const invite = await api.post<InviteCreated>('/v1/invites', {
      role,
      email: email || undefined,
    });
    setLink({ role: invite.role, url: new URL(invite.url, window.location.origin).href });
    setEmail('');
    await invalidate('/v1/invites');
  });
  return (
    <FormCard
      title="Invite someone"
      submit={s}
      submitLabel="Create invite link"
      after={
        link && (
          <div className="secret" role="status">
            <p>Send this single-use link to the new {link.role}:</p>
            <code className="mono" data-testid="invite-link">
              {link.url}
            </code>{' '}
            <button type="button" onClick={() => navigator.clipboard.writeText(link.url)}>
              Copy
            </button>
          </div>
        )
      }
    >
      <div className="form-grid">
        <SelectField
          label="Invite role"
          value={role}
          options={ROLES}
          onChange={setRole}
          error={s.fields.role}
        />
        <TextField
          label="Their email (optional)"
          type="email"
          value={email}
          onChange={setEmail}
          error={s.fields.email}
        />
      </div>
    </FormCard>
  );
}
