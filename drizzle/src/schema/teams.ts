// Teams own everything: every team-owned table has a `team_id` made by `teamIdColumn()`.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn } from './columns';

export const teams = pgTable('teams', {
  id: idColumn(ID_PREFIXES.team),
  name: text('name').notNull(),
  /** URL-safe unique handle. */
  slug: text('slug').notNull().unique(),
  createdAt: createdAt(),
});

/** The owning team; deleting a team deletes what it owns. */
export const teamIdColumn = () =>
  text('team_id')
    .notNull()
    .references(() => teams.id, { onDelete: 'cascade' });
