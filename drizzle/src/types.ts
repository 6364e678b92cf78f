// Row types inferred from the tables: `Run` is what a select returns, `NewRun` what an insert takes.
import type {
  apiKeys,
  checkpoints,
  evalSets,
  evaluations,
  experiments,
  loginLinks,
  memberships,
  metadataSetVersions,
  metadataSets,
  metrics,
  poolShards,
  pools,
  runEvents,
  runs,
  schedules,
  sessions,
  teamInvites,
  teams,
  users,
} from './schema';

export type Team = typeof teams.$inferSelect;
export type NewTeam = typeof teams.$inferInsert;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Membership = typeof memberships.$inferSelect;
export type NewMembership = typeof memberships.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type TeamInvite = typeof teamInvites.$inferSelect;
export type LoginLink = typeof loginLinks.$inferSelect;
export type Pool = typeof pools.$inferSelect;
export type NewPool = typeof pools.$inferInsert;
export type PoolShard = typeof poolShards.$inferSelect;
export type NewPoolShard = typeof poolShards.$inferInsert;
export type MetadataSet = typeof metadataSets.$inferSelect;
export type NewMetadataSet = typeof metadataSets.$inferInsert;
export type MetadataSetVersion = typeof metadataSetVersions.$inferSelect;
export type NewMetadataSetVersion = typeof metadataSetVersions.$inferInsert;
export type EvalSet = typeof evalSets.$inferSelect;
export type NewEvalSet = typeof evalSets.$inferInsert;
export type Experiment = typeof experiments.$inferSelect;
export type NewExperiment = typeof experiments.$inferInsert;
export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type RunEvent = typeof runEvents.$inferSelect;
export type NewRunEvent = typeof runEvents.$inferInsert;
export type Metric = typeof metrics.$inferSelect;
export type NewMetric = typeof metrics.$inferInsert;
export type Checkpoint = typeof checkpoints.$inferSelect;
export type NewCheckpoint = typeof checkpoints.$inferInsert;
export type Evaluation = typeof evaluations.$inferSelect;
export type NewEvaluation = typeof evaluations.$inferInsert;
export type Schedule = typeof schedules.$inferSelect;
export type NewSchedule = typeof schedules.$inferInsert;
