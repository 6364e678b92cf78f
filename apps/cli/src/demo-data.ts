// The demo's data and catalog: a synthetic pool (few on-target pairs among web-like noise), its
// metadata (class names with the generator's synonyms) and a clip_benchmark eval set, written
// once under `<data dir>/demo-data/` and registered through the API (reused on a second run).
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentConfigInput } from '@curio/contracts';
import {
  generateSyntheticData,
  readSyntheticData,
  type SyntheticDataResult,
} from '@curio/synthetic';
import { collect, ok, type Client } from './client.js';
import { DEMO_DEFAULTS } from './demo-defaults.js';

export interface DemoDataOptions {
  poolSize: number;
  onTarget: number;
  seed: number;
}

export interface DemoData {
  dir: string;
  /** Names the data in catalog names: the pool size, and the seed and share when not the default. */
  key: string;
  seed: number;
  poolDir: string;
  evalDir: string;
  names: string[];
  synonyms: Record<string, string[]>;
  counts: { pool: number; onTarget: number; offTarget: number; mismatched: number; eval: number };
  /** False when an earlier demo had written it. */
  generated: boolean;
}

/** The data under `<dataDir>/demo-data/synthetic-<pool size>-s<seed>/`, generated if absent. */
export async function demoData(dataDir: string, o: DemoDataOptions): Promise<DemoData> {
  const key = `${o.poolSize}${o.seed === DEMO_DEFAULTS.seed && o.onTarget === DEMO_DEFAULTS.onTarget ? '' : `-s${o.seed}-p${Math.round(o.onTarget * 1000)}`}`;
  const dir = join(dataDir, 'demo-data', `synthetic-${key}`);
  // The generator writes its manifest last, so a folder with one is complete.
  const found = await readSyntheticData(dir).catch(() => undefined);
  const reusable =
    found?.seed === o.seed &&
    found.counts.pool === o.poolSize &&
    found.onTargetFraction === o.onTarget;
  let result = found;
  if (!reusable) {
    await rm(dir, { recursive: true, force: true });
    result = await generateSyntheticData({
      outDir: dir,
      seed: o.seed,
      poolSize: o.poolSize,
      onTargetFraction: o.onTarget,
    });
  }
  const r = result as SyntheticDataResult;
  const synonyms = JSON.parse(await readFile(r.synonymsFile, 'utf8')) as Record<string, string[]>;
  return {
    dir,
    key,
    seed: o.seed,
    poolDir: r.poolDir,
    evalDir: r.evalDir,
    names: r.classes,
    synonyms,
    counts: r.counts,
    generated: !reusable,
  };
}

export interface DemoCatalog {
  poolId: string;
  metadataSetId: string;
  evalSetId: string;
  evalSetName: string;
  experimentId: string;
  experimentName: string;
  /** What an earlier demo had registered already. */
  reused: string[];
}

export interface DemoRunSettings {
  minutes: number;
  target: number;
  poolSize: number;
}

/** The CiT experiment of the demo: tiny model, lexical cold start, small steps for a 2-core CPU. */
export function demoExperimentConfig(
  ids: { poolId: string; metadataSetId: string; evalSetId: string },
  s: DemoRunSettings,
): ExperimentConfigInput {
  const small = s.poolSize < 5_000;
  return {
    poolId: ids.poolId,
    metadataSetId: ids.metadataSetId,
    evalSetIds: [ids.evalSetId],
    name: 'demo-cit',
    seed: 0,
    model: { preset: 'tiny' },
    tokenizer: { trainCaptions: Math.min(s.poolSize, 5_000) },
    // Training and curation on their defaults (as `npm run bench:cit`); a pool too small for a
    // batch of 128 trains with smaller batches.
    ...(small ? { training: { batchSize: 32, lr: 1e-3, warmupSteps: 5 } } : {}),
    stop: { maxMinutes: s.minutes, targetAccuracy: { top1: s.target } },
    eval: { everySteps: small ? 10 : 25 },
    checkpoint: { everySteps: small ? 10 : 50 },
  };
}

type Named = { id: string; name: string };

async function byName<T extends Named>(
  list: (q: {
    limit: string;
    cursor?: string;
  }) => Promise<{ items: T[]; nextCursor: string | null }>,
  name: string,
): Promise<T | undefined> {
  return (await collect(10_000, list)).find((x) => x.name === name);
}

/** Pool, metadata set, eval set and experiment for the demo: found by name, else created. */
export async function registerDemoCatalog(
  client: Client,
  data: DemoData,
  s: DemoRunSettings,
): Promise<DemoCatalog> {
  const reused: string[] = [];
  const { key } = data;

  const poolName = `demo-web-${key}`;
  const pools = (q: { limit: string; cursor?: string }) =>
    ok('listing pools', client.v1.pools.$get({ query: q }));
  let pool = await byName(pools, poolName);
  if (pool && pool.shardCount > 0) reused.push(`pool ${poolName}`);
  else
    pool = await ok(
      'registering the pool',
      client.v1.pools.$post({
        json: {
          name: poolName,
          description: `synthetic web-like pool: ${data.counts.onTarget} of ${data.counts.pool} pairs on target`,
          shards: [data.poolDir],
        },
      }),
    );

  const metaName = 'demo-shapes';
  const sets = (q: { limit: string; cursor?: string }) =>
    ok('listing metadata sets', client.v1['metadata-sets'].$get({ query: q }));
  let meta = await byName(sets, metaName);
  if (meta) reused.push(`metadata set ${metaName}`);
  else
    meta = await ok(
      'registering the metadata set',
      client.v1['metadata-sets'].$post({
        json: {
          name: metaName,
          description: 'the shapes the demo team cares about',
          names: data.names,
          synonyms: data.synonyms,
        },
      }),
    );

  // The eval images depend on the seed only: one eval set serves demos of any pool size.
  const evals = (q: { limit: string; cursor?: string }) =>
    ok('listing eval sets', client.v1['eval-sets'].$get({ query: q }));
  let evalName = data.seed === 0 ? 'shapes' : `shapes-s${data.seed}`;
  let evalSet = await byName(evals, evalName);
  if (evalSet && !(await exists(evalSet.location))) {
    evalName = `shapes-${key}`;
    evalSet = await byName(evals, evalName);
  }
  if (evalSet) reused.push(`eval set ${evalName}`);
  else
    evalSet = await ok(
      'registering the eval set',
      client.v1['eval-sets'].$post({
        json: {
          name: evalName,
          location: data.evalDir,
          description: 'synthetic shapes, clip_benchmark layout',
        },
      }),
    );

  const config = demoExperimentConfig(
    { poolId: pool.id, metadataSetId: meta.id, evalSetId: evalSet.id },
    s,
  );
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 6);
  const experimentName = `demo-cit-${s.minutes}min-${hash}`;
  const experiments = (q: { limit: string; cursor?: string }) =>
    ok('listing experiments', client.v1.experiments.$get({ query: q }));
  let experiment = await byName(experiments, experimentName);
  if (experiment) reused.push(`experiment ${experimentName}`);
  else
    experiment = await ok(
      'creating the experiment',
      client.v1.experiments.$post({
        json: {
          name: experimentName,
          description: 'CiT on the synthetic pool (curio demo)',
          config: config as never,
        },
      }),
    );

  return {
    poolId: pool.id,
    metadataSetId: meta.id,
    evalSetId: evalSet.id,
    evalSetName: evalName,
    experimentId: experiment.id,
    experimentName,
    reused,
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
