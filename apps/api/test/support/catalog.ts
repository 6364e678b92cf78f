// A team's catalog made through the API: its data folder granted, a pool, a metadata set, an eval
// set, an experiment.
import type { ExperimentConfigInput } from '@curio/contracts';
import { join } from 'node:path';
import { tempDir, writeEvalSet, writePoolShard } from './data.js';
import { grantDirectory, type TestApi } from './api.js';

export interface Catalog {
  poolId: string;
  metadataSetId: string;
  evalSetId: string;
  experimentId: string;
  dataDir: string;
}

export async function createCatalog(
  api: TestApi,
  key: string,
  config: Partial<ExperimentConfigInput> = {},
  dataDir?: string,
): Promise<Catalog> {
  const dir = dataDir ?? (await tempDir());
  await grantDirectory(api, key, dir);
  const shard = await writePoolShard(join(dir, 'pool', '000000.tar'), 5);
  const evalDir = await writeEvalSet(join(dir, 'eval'));
  const suffix = Math.random().toString(36).slice(2, 8);
  const pool = await api.json('POST', '/v1/pools', 201, {
    key,
    json: { name: `web-${suffix}`, shards: [shard] },
  });
  const meta = await api.json('POST', '/v1/metadata-sets', 201, {
    key,
    json: { name: `shapes-${suffix}`, names: ['red circle', 'blue square'] },
  });
  const evalSet = await api.json('POST', '/v1/eval-sets', 201, {
    key,
    json: { name: `eval-${suffix}`, location: evalDir },
  });
  const experiment = await api.json('POST', '/v1/experiments', 201, {
    key,
    json: {
      name: `exp-${suffix}`,
      config: {
        poolId: pool.id,
        metadataSetId: meta.id,
        evalSetIds: [evalSet.id],
        stop: { maxSteps: 10 },
        ...config,
      },
    },
  });
  return {
    poolId: pool.id,
    metadataSetId: meta.id,
    evalSetId: evalSet.id,
    experimentId: experiment.id,
    dataDir: dir,
  };
}
