// Signing in from a browser: sessions (a cookie), team invites and one-time login links. Every
// secret is stored only as its SHA-256 hash; the browser or the invitee holds the secret.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn, timestampTz } from './columns';
import { membershipRole } from './enums';
import { users } from './accounts';
import { teamIdColumn } from './teams';

const userIdColumn = () =>
  text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

/**
 * A signed-in browser: acts as `user_id` in `team_id` with the user's membership role there
 * (looked up on every request, so a role change applies at once).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: idColumn(ID_PREFIXES.session),
    teamId: teamIdColumn(),
    userId: userIdColumn(),
    /** Hex SHA-256 of the cookie's secret. */
    secretHash: text('secret_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestampTz('expires_at').notNull(),
    /** Kept to the minute. */
    lastSeenAt: timestampTz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_team_idx').on(t.teamId)],
);

/** A link that adds its holder to a team with `role`, once, before `expires_at`. */
export const teamInvites = pgTable(
  'team_invites',
  {
    id: idColumn(ID_PREFIXES.teamInvite),
    teamId: teamIdColumn(),
    role: membershipRole('role').notNull(),
    /** When set, only this address (lower-case) may accept. */
    email: text('email'),
    /** Hex SHA-256 of the token. */
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestampTz('expires_at').notNull(),
    usedAt: timestampTz('used_at'),
    usedBy: text('used_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('team_invites_team_idx').on(t.teamId)],
);

/** A one-time link that signs `user_id` in to `team_id` (the demo prints one). */
export const loginLinks = pgTable('login_links', {
  id: idColumn(ID_PREFIXES.loginLink),
  teamId: teamIdColumn(),
  userId: userIdColumn(),
  /** Hex SHA-256 of the token. */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  expiresAt: timestampTz('expires_at').notNull(),
  usedAt: timestampTz('used_at'),
});
