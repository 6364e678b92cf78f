// Experiments: a named run configuration. The config is a `RunSpec` from `@curio/contracts`,
// validated by the API before it is stored.
import type { RunSpec } from '@curio/contracts';
import { jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn, updatedAt } from './columns';
import { teamIdColumn } from './teams';

export const experiments = pgTable(
  'experiments',
  {
    id: idColumn(ID_PREFIXES.experiment),
    teamId: teamIdColumn(),
    name: text('name').notNull(),
    description: text('description'),
    config: jsonb('config').$type<RunSpec>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('experiments_team_name_uq').on(t.teamId, t.name),
    unique('experiments_team_id_uq').on(t.teamId, t.id),
  ],
);
