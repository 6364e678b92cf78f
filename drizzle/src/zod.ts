// Row schemas derived from the tables by drizzle-zod: `XRow` checks a selected row, `XInsert` an
// insert. API request/response shapes live in `@curio/contracts`; these are the store's side.
import { createInsertSchema, createSelectSchema, createUpdateSchema } from 'drizzle-zod';
import { z } from 'zod';
import {
  apiKeys,
  checkpoints,
  evalSets,
  evaluations,
  experiments,
  memberships,
  metadataSetVersions,
  metadataSets,
  metrics,
  poolShards,
  pools,
  runEvents,
  runs,
  schedules,
  teams,
  users,
} from './schema';

const name = z.string().trim().min(1, 'a name must not be empty').max(200);
const nonNegative = z.number().min(0);

export const TeamRow = createSelectSchema(teams);
export const TeamInsert = createInsertSchema(teams, {
  name,
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a slug is lower-case letters, digits and -'),
});

export const UserRow = createSelectSchema(users);
export const UserInsert = createInsertSchema(users, { email: z.email() });

export const MembershipRow = createSelectSchema(memberships);
export const MembershipInsert = createInsertSchema(memberships);

export const ApiKeyRow = createSelectSchema(apiKeys);
export const ApiKeyInsert = createInsertSchema(apiKeys, {
  name,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export const PoolRow = createSelectSchema(pools);
export const PoolInsert = createInsertSchema(pools, { name });
export const PoolShardRow = createSelectSchema(poolShards);
export const PoolShardInsert = createInsertSchema(poolShards, {
  uri: z.string().min(1, 'a shard uri must not be empty'),
  sampleCount: z.number().int().min(0),
});

export const MetadataSetRow = createSelectSchema(metadataSets);
export const MetadataSetInsert = createInsertSchema(metadataSets, { name });
export const MetadataSetVersionRow = createSelectSchema(metadataSetVersions, {
  names: z.array(z.string()),
  synonyms: z.record(z.string(), z.array(z.string())),
  templates: z.array(z.string()).nullable(),
});
export const MetadataSetVersionInsert = createInsertSchema(metadataSetVersions, {
  version: z.number().int().min(1),
  names: z.array(z.string().min(1)).min(1, 'a metadata set needs at least one name'),
  synonyms: z.record(z.string(), z.array(z.string().min(1))).optional(),
  templates: z.array(z.string().includes('{}')).min(1).nullish(),
});

export const EvalSetRow = createSelectSchema(evalSets);
export const EvalSetInsert = createInsertSchema(evalSets, { name, location: z.string().min(1) });

export const ExperimentRow = createSelectSchema(experiments);
/** `config` is checked against `RunSpec` (from `@curio/contracts`) by the API, not here. */
export const ExperimentInsert = createInsertSchema(experiments, { name });

export const RunRow = createSelectSchema(runs);
export const RunInsert = createInsertSchema(runs, {
  maxAttempts: z.number().int().min(1).max(100),
  budgetMaxMinutes: z.number().positive().nullish(),
  budgetMaxCost: z.number().positive().nullish(),
  targetAccuracy: z.number().min(0).max(1).nullish(),
});

export const RunEventRow = createSelectSchema(runEvents);
export const MetricRow = createSelectSchema(metrics);
export const MetricInsert = createInsertSchema(metrics, {
  step: z.number().int().min(0),
  name: z.string().min(1),
  value: z.number().finite(),
});

export const CheckpointRow = createSelectSchema(checkpoints);
export const CheckpointInsert = createInsertSchema(checkpoints, {
  step: z.number().int().min(0),
  blobUri: z.string().min(1),
  sizeBytes: z.number().int().min(0),
  architecture: z.record(z.string(), z.unknown()),
});

export const EvaluationRow = createSelectSchema(evaluations);
export const EvaluationInsert = createInsertSchema(evaluations, {
  step: z.number().int().min(0),
  metrics: z.record(z.string(), z.number()),
  elapsedSeconds: nonNegative,
  deviceSeconds: nonNegative.optional(),
  cost: nonNegative.optional(),
});

export const ScheduleRow = createSelectSchema(schedules);
export const ScheduleInsert = createInsertSchema(schedules, {
  intervalSeconds: z.number().int().positive().nullish(),
});
export const ScheduleUpdate = createUpdateSchema(schedules);
