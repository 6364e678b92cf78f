// Experiments: a named run configuration. The config is an `ExperimentConfig` from
// `@curio/contracts` (the run spec with pool, metadata and eval sets given by id), validated by
// the API before it is stored.
import type { ExperimentConfig } from '@curio/contracts';
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
    config: jsonb('config').$type<ExperimentConfig>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('experiments_team_name_uq').on(t.teamId, t.name),
    unique('experiments_team_id_uq').on(t.teamId, t.id),
  ],
);
