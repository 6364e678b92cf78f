// Teams, the people in them, and the API keys that act for them.
import { z } from 'zod';
import { Name, Role, Timestamp } from './common.js';

export const Team = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), createdAt: Timestamp })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;

export const User = z
  .object({ id: z.string(), email: z.string(), name: z.string().nullable() })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The first characters of the secret, to recognise it by. */
    prefix: z.string(),
    role: Role,
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

/** A new key: the only time its secret is shown. */
export const ApiKeyCreated = ApiKey.extend({ secret: z.string() }).meta({ id: 'ApiKeyCreated' });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const ApiKeyCreate = z.object({
  name: Name,
  /** At most the caller's own role; default `member` (or the caller's, if lower). */
  role: Role.optional(),
});
export type ApiKeyCreate = z.input<typeof ApiKeyCreate>;

const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a slug is lower-case letters, digits and -, at most 63');

/** First team, its owner and an owner key, on a server with no team yet (or with the admin token). */
export const BootstrapRequest = z.object({
  teamName: Name,
  teamSlug: Slug.optional(),
  email: z.email(),
  userName: Name.optional(),
  keyName: Name.default('bootstrap'),
});
export type BootstrapRequest = z.input<typeof BootstrapRequest>;

export const BootstrapResponse = z
  .object({ team: Team, user: User, key: ApiKeyCreated })
  .meta({ id: 'BootstrapResponse' });
export type BootstrapResponse = z.infer<typeof BootstrapResponse>;

/** Who the caller is: the team, role, the key (null for a browser session), and the user. */
export const CurrentTeam = z
  .object({
    team: Team,
    role: Role,
    key: z.object({ id: z.string(), name: z.string(), prefix: z.string() }).nullable(),
    user: User.nullable(),
  })
  .meta({ id: 'CurrentTeam' });
export type CurrentTeam = z.infer<typeof CurrentTeam>;

/** A person in the team: their account, role, and when they joined. */
export const Member = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: Role,
    joinedAt: Timestamp,
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;

export const MemberList = z.object({ items: z.array(Member) }).meta({ id: 'MemberList' });
export type MemberList = z.infer<typeof MemberList>;

/** An owner changes a member's role (the team always keeps an owner). */
export const MemberUpdate = z.object({ role: Role });
export type MemberUpdate = z.input<typeof MemberUpdate>;
