// What runs train and evaluate on: pools of web data, metadata sets, eval sets.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn, timestampTz } from './columns';
import { teamIdColumn } from './teams';

/** A named pool of image-text pairs (one source of a run's pool). */
export const pools = pgTable(
  'pools',
  {
    id: idColumn(ID_PREFIXES.pool),
    teamId: teamIdColumn(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('pools_team_name_uq').on(t.teamId, t.name),
    unique('pools_team_id_uq').on(t.teamId, t.id),
  ],
);

/** img2dataset WebDataset shards of a pool; appended as new web data arrives. */
export const poolShards = pgTable(
  'pool_shards',
  {
    id: idColumn(ID_PREFIXES.poolShard),
    teamId: teamIdColumn(),
    poolId: text('pool_id').notNull(),
    /** A path, directory, glob, file:// or http(s):// URL. */
    uri: text('uri').notNull(),
    sampleCount: bigint('sample_count', { mode: 'number' }).notNull(),
    addedAt: timestampTz('added_at').notNull().defaultNow(),
  },
  (t) => [
    unique('pool_shards_pool_uri_uq').on(t.poolId, t.uri),
    index('pool_shards_pool_idx').on(t.poolId, t.addedAt),
    foreignKey({
      name: 'pool_shards_pool_fk',
      columns: [t.teamId, t.poolId],
      foreignColumns: [pools.teamId, pools.id],
    }).onDelete('cascade'),
    check('pool_shards_sample_count_nonneg', sql`${t.sampleCount} >= 0`),
  ],
);

/** What a team cares about; its content lives in immutable, numbered versions. */
export const metadataSets = pgTable(
  'metadata_sets',
  {
    id: idColumn(ID_PREFIXES.metadataSet),
    teamId: teamIdColumn(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('metadata_sets_team_name_uq').on(t.teamId, t.name),
    unique('metadata_sets_team_id_uq').on(t.teamId, t.id),
  ],
);

/**
 * One immutable version of a metadata set (version 1, 2, …): a change is a new row, and a trigger
 * (migration 0001) refuses UPDATE. Shapes follow `MetadataSpec` in `@curio/contracts`.
 */
export const metadataSetVersions = pgTable(
  'metadata_set_versions',
  {
    id: idColumn(ID_PREFIXES.metadataSetVersion),
    teamId: teamIdColumn(),
    metadataSetId: text('metadata_set_id').notNull(),
    version: integer('version').notNull(),
    names: jsonb('names').$type<string[]>().notNull(),
    /** Extra surface forms per name. */
    synonyms: jsonb('synonyms').$type<Record<string, string[]>>().notNull().default({}),
    /** Templates with `{}` for the name; null means the default `['{}']`. */
    templates: jsonb('templates').$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('metadata_set_versions_set_version_uq').on(t.metadataSetId, t.version),
    foreignKey({
      name: 'metadata_set_versions_set_fk',
      columns: [t.teamId, t.metadataSetId],
      foreignColumns: [metadataSets.teamId, metadataSets.id],
    }).onDelete('cascade'),
    check('metadata_set_versions_version_pos', sql`${t.version} >= 1`),
  ],
);

/** A zero-shot / retrieval benchmark in clip_benchmark's WebDataset layout. */
export const evalSets = pgTable(
  'eval_sets',
  {
    id: idColumn(ID_PREFIXES.evalSet),
    teamId: teamIdColumn(),
    name: text('name').notNull(),
    /** The clip_benchmark folder (classnames.txt, templates, test/*.tar): a path or URI. */
    location: text('location').notNull(),
    description: text('description'),
    /** Each class (classnames.txt order) with its usable test samples, counted when added. */
    classes: jsonb('classes').$type<{ name: string; sampleCount: number }[]>(),
    createdAt: createdAt(),
  },
  (t) => [unique('eval_sets_team_name_uq').on(t.teamId, t.name)],
);
