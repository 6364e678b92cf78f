// Tiny synthetic data for end-to-end runs, made by the trainer's own `curio-train synth`, and a
// catalog (pool, metadata set, eval set, experiment) over it through the API.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExperimentConfigInput } from '@curio/contracts';
import { trainerBinPath } from '@curio/dispatch';
import { grantDirectory, type TestApi } from './api.js';
import type { Catalog } from './catalog.js';

export async function writeSyntheticData(outDir: string): Promise<string> {
  await promisify(execFile)(process.execPath, [
    trainerBinPath(),
    'synth',
    '--out',
    outDir,
    '--pool-size',
    '300',
    '--on-target',
    '0.3',
    '--eval-per-class',
    '3',
  ]);
  return outDir;
}

/** A tiny CiT experiment: batch 16, eval and checkpoint every 10 steps. */
export async function syntheticCatalog(
  api: TestApi,
  key: string,
  dataDir: string,
  config: Partial<ExperimentConfigInput> = {},
): Promise<Catalog> {
  const names = (await readFile(join(dataDir, 'metadata.txt'), 'utf8')).split('\n').filter(Boolean);
  const synonyms = JSON.parse(await readFile(join(dataDir, 'synonyms.json'), 'utf8'));
  const suffix = Math.random().toString(36).slice(2, 8);
  await grantDirectory(api, key, dataDir);
  const pool = await api.json('POST', '/v1/pools', 201, {
    key,
    json: { name: `synthetic-${suffix}`, shards: [join(dataDir, 'pool')] },
  });
  const meta = await api.json('POST', '/v1/metadata-sets', 201, {
    key,
    json: { name: `shapes-${suffix}`, names, synonyms },
  });
  const evalSet = await api.json('POST', '/v1/eval-sets', 201, {
    key,
    json: { name: 'shapes', location: join(dataDir, 'eval') },
  });
  const experiment = await api.json('POST', '/v1/experiments', 201, {
    key,
    json: {
      name: `tiny-cit-${suffix}`,
      config: {
        poolId: pool.id,
        metadataSetId: meta.id,
        evalSetIds: [evalSet.id],
        model: { preset: 'tiny' },
        tokenizer: { trainCaptions: 300 },
        training: { batchSize: 16, warmupSteps: 2 },
        curation: { mode: 'cit', interval: 10 },
        eval: { everySteps: 10 },
        checkpoint: { everySteps: 10 },
        stop: { maxSteps: 20 },
        ...config,
      },
    },
  });
  return {
    poolId: pool.id,
    metadataSetId: meta.id,
    evalSetId: evalSet.id,
    experimentId: experiment.id,
    dataDir,
  };
}
