// Relations for drizzle's relational queries (`db.query.runs.findFirst({ with: { events: true } })`).
import { relations } from 'drizzle-orm';
import { apiKeys, memberships, users } from './accounts';
import { evalSets, metadataSetVersions, metadataSets, poolShards, pools } from './catalog';
import { experiments } from './experiments';
import { evaluations, metrics, runEvents } from './results';
import { checkpoints, runs } from './runs';
import { schedules } from './schedules';
import { teams } from './teams';

export const teamsRelations = relations(teams, ({ many }) => ({
  memberships: many(memberships),
  apiKeys: many(apiKeys),
  pools: many(pools),
  metadataSets: many(metadataSets),
  evalSets: many(evalSets),
  experiments: many(experiments),
  runs: many(runs),
  schedules: many(schedules),
}));

export const usersRelations = relations(users, ({ many }) => ({
  memberships: many(memberships),
  apiKeys: many(apiKeys),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  team: one(teams, { fields: [memberships.teamId], references: [teams.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  team: one(teams, { fields: [apiKeys.teamId], references: [teams.id] }),
  user: one(users, { fields: [apiKeys.userId], references: [users.id] }),
  run: one(runs, { fields: [apiKeys.runId], references: [runs.id] }),
}));

export const poolsRelations = relations(pools, ({ one, many }) => ({
  team: one(teams, { fields: [pools.teamId], references: [teams.id] }),
  shards: many(poolShards),
}));

export const poolShardsRelations = relations(poolShards, ({ one }) => ({
  pool: one(pools, { fields: [poolShards.poolId], references: [pools.id] }),
}));

export const metadataSetsRelations = relations(metadataSets, ({ one, many }) => ({
  team: one(teams, { fields: [metadataSets.teamId], references: [teams.id] }),
  versions: many(metadataSetVersions),
}));

export const metadataSetVersionsRelations = relations(metadataSetVersions, ({ one }) => ({
  metadataSet: one(metadataSets, {
    fields: [metadataSetVersions.metadataSetId],
    references: [metadataSets.id],
  }),
}));

export const evalSetsRelations = relations(evalSets, ({ one, many }) => ({
  team: one(teams, { fields: [evalSets.teamId], references: [teams.id] }),
  evaluations: many(evaluations),
}));

export const experimentsRelations = relations(experiments, ({ one, many }) => ({
  team: one(teams, { fields: [experiments.teamId], references: [teams.id] }),
  runs: many(runs),
  schedules: many(schedules),
}));

export const runsRelations = relations(runs, ({ one, many }) => ({
  team: one(teams, { fields: [runs.teamId], references: [teams.id] }),
  experiment: one(experiments, { fields: [runs.experimentId], references: [experiments.id] }),
  resumeCheckpoint: one(checkpoints, {
    fields: [runs.resumeCheckpointId],
    references: [checkpoints.id],
    relationName: 'resume',
  }),
  events: many(runEvents),
  metrics: many(metrics),
  checkpoints: many(checkpoints, { relationName: 'run' }),
  evaluations: many(evaluations),
}));

export const checkpointsRelations = relations(checkpoints, ({ one, many }) => ({
  run: one(runs, { fields: [checkpoints.runId], references: [runs.id], relationName: 'run' }),
  parent: one(checkpoints, {
    fields: [checkpoints.parentCheckpointId],
    references: [checkpoints.id],
    relationName: 'parent',
  }),
  children: many(checkpoints, { relationName: 'parent' }),
  evaluations: many(evaluations),
}));

export const runEventsRelations = relations(runEvents, ({ one }) => ({
  run: one(runs, { fields: [runEvents.runId], references: [runs.id] }),
}));

export const metricsRelations = relations(metrics, ({ one }) => ({
  run: one(runs, { fields: [metrics.runId], references: [runs.id] }),
}));

export const evaluationsRelations = relations(evaluations, ({ one }) => ({
  run: one(runs, { fields: [evaluations.runId], references: [runs.id] }),
  checkpoint: one(checkpoints, {
    fields: [evaluations.checkpointId],
    references: [checkpoints.id],
  }),
  evalSet: one(evalSets, { fields: [evaluations.evalSetId], references: [evalSets.id] }),
}));

export const schedulesRelations = relations(schedules, ({ one }) => ({
  experiment: one(experiments, { fields: [schedules.experimentId], references: [experiments.id] }),
  lastRun: one(runs, { fields: [schedules.lastRunId], references: [runs.id] }),
}));
