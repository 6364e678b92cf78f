// Signing in from a browser: sign-up, login, the session, team invites and one-time login links.
// The session itself travels in the `curio_session` cookie; `csrfToken` goes back in the
// `x-csrf-token` header of every state-changing request made with that cookie.
import { z } from 'zod';
import { Name, Role, Timestamp } from './common.js';
import { Team, User } from './accounts.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'curio_session';
/** The header that carries the session's CSRF token on POST, PUT, PATCH and DELETE. */
export const CSRF_HEADER = 'x-csrf-token';

export const Email = z.email().max(320);
export const Password = z
  .string()
  .min(8, 'a password has at least 8 characters')
  .max(256, 'a password has at most 256 characters');

export const SignupRequest = z.object({
  email: Email,
  password: Password,
  name: Name.optional(),
  teamName: Name,
});
export type SignupRequest = z.input<typeof SignupRequest>;

export const LoginRequest = z.object({ email: Email, password: z.string().min(1).max(256) });
export type LoginRequest = z.input<typeof LoginRequest>;

/** Who the browser is signed in as: the user, the team it acts in, its role there. */
export const AuthSession = z
  .object({ user: User, team: Team, role: Role, csrfToken: z.string() })
  .meta({ id: 'AuthSession' });
export type AuthSession = z.infer<typeof AuthSession>;

export const InviteCreate = z.object({ role: Role, email: Email.optional() });
export type InviteCreate = z.input<typeof InviteCreate>;

export const Invite = z
  .object({
    id: z.string(),
    role: Role,
    /** Only this address may accept, when set. */
    email: z.string().nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    usedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Invite' });
export type Invite = z.infer<typeof Invite>;

/** A new invite: the only time its token is shown. `url` is relative to the dashboard's origin. */
export const InviteCreated = z
  .object({ id: z.string(), role: Role, url: z.string(), token: z.string(), expiresAt: Timestamp })
  .meta({ id: 'InviteCreated' });
export type InviteCreated = z.infer<typeof InviteCreated>;

export const InviteAccept = z.object({ email: Email, password: Password, name: Name.optional() });
export type InviteAccept = z.input<typeof InviteAccept>;

export const TokenParam = z.object({ token: z.string().min(1).max(200) });

/** With the admin token, `teamId` names the team; a team owner gets a link for its own team. */
export const LoginLinkCreate = z.object({ teamId: z.string().min(1).max(100).optional() });
export type LoginLinkCreate = z.input<typeof LoginLinkCreate>;

/** A one-time login link (`/login/<token>`, relative to the dashboard's origin). */
export const LoginLink = z
  .object({ url: z.string(), token: z.string(), expiresAt: Timestamp })
  .meta({ id: 'LoginLink' });
export type LoginLink = z.infer<typeof LoginLink>;
