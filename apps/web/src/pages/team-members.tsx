// The team's members (email, role, joined); an owner changes a member's role or removes a member
// (the API keeps the team's last owner, answering why it refuses).
import { ROLES, type Member, type MemberList, type Role } from '@curio/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http.js';
import { useApi, useInvalidate } from '../api/queries.js';
import { SESSION_KEY, useSession } from '../session/session.js';
import { DataTable } from '../ui/data-table.js';
import { formatTime } from '../ui/format.js';
import { ErrorBox, Loading } from '../ui/parts.js';
import { useAction } from '../ui/use-submit.js';

const MEMBERS = '/v1/teams/current/members';

export function Members() {
  const session = useSession();
  const members = useApi<MemberList>(MEMBERS);
  const isOwner = session.role === 'owner';
  const invalidate = useInvalidate();
  const client = useQueryClient();
  const { busy, error, run } = useAction();
  const change = (m: Member, action: () => Promise<unknown>) =>
    run(async () => {
      await action();
      await invalidate(MEMBERS);
      // A change to one's own membership changes the session's role.
      if (m.userId === session.user.id) await client.invalidateQueries({ queryKey: SESSION_KEY });
    });
  const path = (m: Member) => `${MEMBERS}/${encodeURIComponent(m.userId)}`;
  return (
    <section className="card" aria-labelledby="members-h">
      <h2 id="members-h">Members</h2>
      <ErrorBox error={members.error ?? error} />
      {!members.data ? (
        !members.error && <Loading what="members" />
      ) : (
        <DataTable
          caption="Members"
          columns={['Email', 'Name', 'Role', 'Joined', isOwner && 'Actions']}
          items={members.data.items}
          rowKey={(m) => m.userId}
          row={(m) => (
            <>
              <td>{m.email}</td>
              <td>{m.name ?? ''}</td>
              <td>
                {isOwner ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={busy}
                    onChange={(e) =>
                      change(m, () => api.patch(path(m), { role: e.target.value as Role }))
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              <td>{formatTime(m.joinedAt)}</td>
              {isOwner && (
                <td className="row-actions">
                  <button
                    type="button"
                    className="danger"
                    disabled={busy}
                    onClick={() => change(m, () => api.delete(path(m)))}
                  >
                    Remove {m.email}
                  </button>
                </td>
              )}
            </>
          )}
        />
      )}
    </section>
  );
}
