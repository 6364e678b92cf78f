// Rows → API shapes for pools, metadata sets and eval sets.
import type { EvalSet, MetadataSetVersion, Pool, PoolShard } from '@curio/contracts';
import type {
  EvalSet as EvalSetRow,
  MetadataSetVersion as VersionRow,
  Pool as PoolRow,
  PoolShard as PoolShardRow,
} from '@curio/db/schema';
import { iso } from './time.js';

export const presentShard = (s: PoolShardRow): PoolShard => ({
  id: s.id,
  uri: s.uri,
  sampleCount: s.sampleCount,
  addedAt: iso(s.addedAt),
});

export const presentPool = (
  p: PoolRow,
  totals: { shardCount: number; sampleCount: number },
): Pool => ({
  id: p.id,
  name: p.name,
  description: p.description,
  shardCount: totals.shardCount,
  sampleCount: totals.sampleCount,
  createdAt: iso(p.createdAt),
});

export const presentVersion = (v: VersionRow): MetadataSetVersion => ({
  id: v.id,
  version: v.version,
  names: v.names,
  synonyms: v.synonyms,
  templates: v.templates,
  createdAt: iso(v.createdAt),
});

export const presentEvalSet = (e: EvalSetRow): EvalSet => ({
  id: e.id,
  name: e.name,
  location: e.location,
  description: e.description,
  classes: e.classes,
  sampleCount: e.classes ? e.classes.reduce((n, c) => n + c.sampleCount, 0) : null,
  createdAt: iso(e.createdAt),
});
