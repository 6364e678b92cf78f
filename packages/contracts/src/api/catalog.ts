// What runs train and evaluate on: pools of shards, versioned metadata sets, eval sets.
import { z } from 'zod';
import { ShardLocation } from '../run-spec.js';
import { Description, Name, Timestamp } from './common.js';

// ── pools ────────────────────────────────────────────────────────────────────────────────────

export const PoolShard = z
  .object({ id: z.string(), uri: z.string(), sampleCount: z.number().int(), addedAt: Timestamp })
  .meta({ id: 'PoolShard' });
export type PoolShard = z.infer<typeof PoolShard>;

export const Pool = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    shardCount: z.number().int(),
    sampleCount: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Pool' });
export type Pool = z.infer<typeof Pool>;

const ShardList = z
  .array(ShardLocation)
  .min(1, 'give at least one shard')
  .max(10_000, 'at most 10000 shard locations at once');

/** Shard locations: files, directories of `*.tar`, globs, file:// or http(s):// URLs. */
export const PoolCreate = z.object({
  name: Name,
  description: Description.optional(),
  shards: ShardList,
});
export type PoolCreate = z.input<typeof PoolCreate>;

export const ShardsAppend = z.object({ shards: ShardList });
export type ShardsAppend = z.input<typeof ShardsAppend>;

/** The pool after a create or append, with the shards just added (each counted). */
export const PoolWithShards = Pool.extend({ added: z.array(PoolShard) }).meta({
  id: 'PoolWithShards',
});
export type PoolWithShards = z.infer<typeof PoolWithShards>;

// ── metadata sets ────────────────────────────────────────────────────────────────────────────

const Templates = z
  .array(
    z.string().max(1000).includes('{}', { message: 'a template needs {} where the name goes' }),
  )
  .min(1)
  .max(1000);

const MetadataFields = z.object({
  names: z
    .array(z.string().trim().min(1).max(1000))
    .min(1, 'a metadata set needs at least one name')
    .max(100_000),
  synonyms: z
    .record(z.string().max(1000), z.array(z.string().trim().min(1).max(1000)).max(1000))
    .default({}),
  /** Templates with `{}` for the name; absent means `['{}']`. */
  templates: Templates.optional(),
});

/** Synonyms are keyed by one of the names. */
function synonymsOfKnownNames(m: z.infer<typeof MetadataFields>, ctx: z.RefinementCtx): void {
  const names = new Set(m.names);
  for (const key of Object.keys(m.synonyms))
    if (!names.has(key))
      ctx.addIssue({
        code: 'custom',
        path: ['synonyms', key],
        message: `"${key}" is not one of names`,
      });
}

/** The content of one metadata set version (a new version is a POST of this). */
export const MetadataContent = MetadataFields.superRefine(synonymsOfKnownNames);
export type MetadataContent = z.input<typeof MetadataContent>;

export const MetadataSetCreate = MetadataFields.extend({
  name: Name,
  description: Description.optional(),
}).superRefine(synonymsOfKnownNames);
export type MetadataSetCreate = z.input<typeof MetadataSetCreate>;

export const MetadataSetVersion = z
  .object({
    id: z.string(),
    version: z.number().int(),
    names: z.array(z.string()),
    synonyms: z.record(z.string(), z.array(z.string())),
    templates: z.array(z.string()).nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'MetadataSetVersion' });
export type MetadataSetVersion = z.infer<typeof MetadataSetVersion>;

export const MetadataSet = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    latestVersion: z.number().int(),
    nameCount: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'MetadataSet' });
export type MetadataSet = z.infer<typeof MetadataSet>;

export const MetadataSetDetail = MetadataSet.extend({ latest: MetadataSetVersion }).meta({
  id: 'MetadataSetDetail',
});
export type MetadataSetDetail = z.infer<typeof MetadataSetDetail>;

// ── eval sets ────────────────────────────────────────────────────────────────────────────────

export const EvalSet = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The clip_benchmark folder (classnames.txt, templates, test/*.tar). */
    location: z.string(),
    description: z.string().nullable(),
    /**
     * Each class (classnames.txt order) with its usable test samples, counted when the set was
     * added (null for a set added before they were counted).
     */
    classes: z.array(z.object({ name: z.string(), sampleCount: z.number().int() })).nullable(),
    /** The usable test samples in all (null as `classes`). */
    sampleCount: z.number().int().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'EvalSet' });
export type EvalSet = z.infer<typeof EvalSet>;

export const EvalSetCreate = z.object({
  name: Name,
  location: z.string().min(1, 'location must not be empty').max(4096),
  description: Description.optional(),
});
export type EvalSetCreate = z.input<typeof EvalSetCreate>;
