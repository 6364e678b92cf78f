// Experiment configs name their data by id; a run trains on locations. `checkReferences` refuses a
// config whose ids (data, and the checkpoints its towers and growth start from) are not the team's (422
// naming each); `resolveRunSpec` turns a config and the
// run's options into the full RunSpec the worker gets, fixing the pool's shards, the metadata
// version and the eval set folders as they are when the run is created.
import {
  parseRunSpec,
  type ExperimentConfig,
  type RunOptions,
  type RunSpec,
} from '@curio/contracts';
import { and, asc, desc, eq, inArray, type Db } from '@curio/db';
import { evalSets, metadataSetVersions, metadataSets, poolShards, pools } from '@curio/db/schema';
import { unprocessable, type FieldError } from '../http/problem.js';
import { resolveGrowthParent, resolveModelInits } from './resolve-init.js';

interface Resolved {
  model: ExperimentConfig['model'];
  growthParent: { checkpoint: string } | undefined;
  pool: { name: string; shards: string[] } | undefined;
  metadata:
    { names: string[]; synonyms: Record<string, string[]>; templates: string[] | null } | undefined;
  evalSets: { id: string; name: string; location: string }[];
  errors: FieldError[];
}

async function lookUp(
  db: Db,
  teamId: string,
  config: ExperimentConfig,
  at: string,
): Promise<Resolved> {
  const errors: FieldError[] = [];
  const [pool] = await db
    .select({ id: pools.id, name: pools.name })
    .from(pools)
    .where(and(eq(pools.teamId, teamId), eq(pools.id, config.poolId)));
  if (!pool) errors.push({ path: `${at}poolId`, message: `pool ${config.poolId} not found` });
  const shards = pool
    ? await db
        .select({ uri: poolShards.uri })
        .from(poolShards)
        .where(eq(poolShards.poolId, pool.id))
        .orderBy(asc(poolShards.addedAt), asc(poolShards.id))
    : [];

  const [set] = await db
    .select({ id: metadataSets.id })
    .from(metadataSets)
    .where(and(eq(metadataSets.teamId, teamId), eq(metadataSets.id, config.metadataSetId)));
  if (!set)
    errors.push({
      path: `${at}metadataSetId`,
      message: `metadata set ${config.metadataSetId} not found`,
    });
  const [version] = set
    ? await db
        .select()
        .from(metadataSetVersions)
        .where(
          and(
            eq(metadataSetVersions.metadataSetId, set.id),
            config.metadataVersion === undefined
              ? undefined
              : eq(metadataSetVersions.version, config.metadataVersion),
          ),
        )
        .orderBy(desc(metadataSetVersions.version))
        .limit(1)
    : [];
  if (set && !version)
    errors.push({
      path: `${at}metadataVersion`,
      message: `metadata set ${config.metadataSetId} has no version ${config.metadataVersion}`,
    });

  const found = config.evalSetIds.length
    ? await db
        .select({ id: evalSets.id, name: evalSets.name, location: evalSets.location })
        .from(evalSets)
        .where(and(eq(evalSets.teamId, teamId), inArray(evalSets.id, config.evalSetIds)))
    : [];
  const byId = new Map(found.map((e) => [e.id, e]));
  config.evalSetIds.forEach((id, i) => {
    if (!byId.has(id))
      errors.push({ path: `${at}evalSetIds.${i}`, message: `eval set ${id} not found` });
  });

  const inits = await resolveModelInits(db, teamId, config.model, at);
  errors.push(...inits.errors);
  const parent = config.growth?.parent;
  const growth = parent ? await resolveGrowthParent(db, teamId, parent, at) : undefined;
  if (growth && 'error' in growth) errors.push(growth.error);

  return {
    model: inits.model,
    growthParent: growth && 'parent' in growth ? growth.parent : undefined,
    pool: pool ? { name: pool.name, shards: shards.map((s) => s.uri) } : undefined,
    metadata: version,
    evalSets: config.evalSetIds.flatMap((id) => byId.get(id) ?? []),
    errors,
  };
}

function refuse(errors: FieldError[]): never {
  throw unprocessable(
    'unknown-reference',
    `nothing was stored: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    errors,
  );
}

/** Throws a 422 naming each pool, metadata set (version) or eval set id the team does not have. */
export async function checkReferences(
  db: Db,
  teamId: string,
  config: ExperimentConfig,
): Promise<void> {
  const { errors } = await lookUp(db, teamId, config, 'config.');
  if (errors.length) refuse(errors);
}

/** What a growth schedule decided: the checkpoint to grow from and the shards to train on. */
export interface GrowthPlan {
  parentCheckpointId: string;
  /** The new shards, then the replayed old ones. */
  shards: string[];
  newSamples: number;
}

/**
 * The run spec a run of `config` trains on, with the run's budget and target folded into `stop`.
 * Its `growth` is the config's when that names a parent; a growth schedule's `plan` gives the
 * parent and the shards instead (the config's growth settings apply).
 */
export async function resolveRunSpec(
  db: Db,
  teamId: string,
  config: ExperimentConfig,
  options: RunOptions,
  plan?: GrowthPlan,
): Promise<RunSpec> {
  const found = await lookUp(db, teamId, config, 'experiment config.');
  const { errors } = found;
  if (found.pool && found.pool.shards.length === 0)
    errors.push({
      path: 'experiment config.poolId',
      message: `pool ${config.poolId} has no shards`,
    });
  const names = found.evalSets.map((e) => e.name);
  if (options.targetEvalSet !== undefined && !names.includes(options.targetEvalSet))
    errors.push({
      path: 'targetEvalSet',
      message: `"${options.targetEvalSet}" is not one of the experiment's eval sets (${names.join(', ') || 'none'})`,
    });
  if (options.targetAccuracy !== undefined && names.length === 0)
    errors.push({
      path: 'targetAccuracy',
      message: 'a target accuracy needs an eval set: the experiment has none',
    });
  if (errors.length || !found.pool || !found.metadata) refuse(errors);

  const {
    poolId: _p,
    metadataSetId: _m,
    metadataVersion: _v,
    evalSetIds: _e,
    growth: growthSettings,
    ...rest
  } = config;
  const growthParent = plan ? { checkpoint: plan.parentCheckpointId } : found.growthParent;
  const budgetMinutes = options.budget?.maxMinutes;
  const maxMinutes =
    budgetMinutes === undefined
      ? rest.stop.maxMinutes
      : Math.min(budgetMinutes, rest.stop.maxMinutes ?? Infinity);
  const targetAccuracy =
    options.targetAccuracy === undefined
      ? rest.stop.targetAccuracy
      : { top1: options.targetAccuracy, evalSet: options.targetEvalSet ?? names[0] };
  return parseOrRefuse({
    ...rest,
    model: found.model,
    pool: { sources: [{ name: found.pool.name, shards: plan?.shards ?? found.pool.shards }] },
    ...(growthParent && {
      growth: {
        ...growthSettings,
        parent: growthParent,
        ...(plan && { newSamples: plan.newSamples }),
      },
    }),
    metadata: {
      names: found.metadata.names,
      synonyms: found.metadata.synonyms,
      templates: found.metadata.templates ?? ['{}'],
    },
    evalSets: found.evalSets.map((e) => ({ name: e.name, path: e.location })),
    stop: {
      ...rest.stop,
      ...(maxMinutes !== undefined && { maxMinutes }),
      ...(targetAccuracy !== undefined && { targetAccuracy }),
    },
  });
}

/** `parseRunSpec`, its refusal a 422 (a config valid alone that the run's options or plan break). */
function parseOrRefuse(input: unknown): RunSpec {
  try {
    return parseRunSpec(input);
  } catch (error) {
    const message = (error as Error).message.replace(/^invalid run spec: /, '');
    throw unprocessable('invalid-run-spec', `nothing was stored: ${message}`, [
      { path: 'experiment config', message },
    ]);
  }
}
