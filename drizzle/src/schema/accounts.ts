// People, their teams, and the keys that authenticate API calls.
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn, timestampTz } from './columns';
import { apiKeyKind, membershipRole } from './enums';
import { runs } from './runs';
import { teamIdColumn, teams } from './teams';

export const users = pgTable('users', {
  id: idColumn(ID_PREFIXES.user),
  /** Stored lower-case. */
  email: text('email').notNull().unique(),
  name: text('name'),
  /**
   * `scrypt$<N>$<r>$<p>$<salt, base64url>$<hash, base64url>` (apps/api/src/auth/passwords.ts);
   * null: the user signs in only with a key or a login link.
   */
  passwordHash: text('password_hash'),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull().default('member'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
  ],
);

/**
 * API keys and worker tokens. Only a SHA-256 hash of the secret is stored, with a visible prefix
 * to recognise it by. A `team` key acts in its team with `role`'s rights; a `run` key (a worker
 * token) is good only for `run_id`, and the worker gets nothing else but the API URL and run id.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: idColumn(ID_PREFIXES.apiKey),
    teamId: teamIdColumn(),
    kind: apiKeyKind('kind').notNull().default('team'),
    name: text('name').notNull(),
    /** The first characters of the secret, shown in listings (e.g. `curio_k1a2b3`). */
    prefix: text('prefix').notNull(),
    /** Hex SHA-256 of the whole secret. */
    hash: text('hash').notNull().unique(),
    role: membershipRole('role').notNull().default('member'),
    /** The user the key was issued to, if any. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Set exactly when kind = 'run'. */
    runId: text('run_id'),
    /** kind = 'run': the attempt the token was issued for; a later attempt's worker fences it. */
    attempt: integer('attempt'),
    createdAt: createdAt(),
    expiresAt: timestampTz('expires_at'),
    lastUsedAt: timestampTz('last_used_at'),
    revokedAt: timestampTz('revoked_at'),
  },
  (t) => [
    index('api_keys_team_idx').on(t.teamId),
    index('api_keys_run_idx').on(t.runId),
    foreignKey({
      name: 'api_keys_run_fk',
      columns: [t.teamId, t.runId],
      foreignColumns: [runs.teamId, runs.id],
    }).onDelete('cascade'),
    check('api_keys_run_scope', sql`(${t.kind} = 'run') = (${t.runId} IS NOT NULL)`),
    check('api_keys_run_attempt', sql`(${t.kind} = 'run') = (${t.attempt} IS NOT NULL)`),
  ],
);
