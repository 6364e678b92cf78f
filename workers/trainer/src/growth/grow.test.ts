import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunSpec } from '@curio/contracts';
import { createDataStats } from '@curio/webdataset';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../checkpoint/blob-store.js';
import { saveCheckpoint } from '../checkpoint/checkpoint.js';
import { ModelConfig } from '../model/config.js';
import { microConfig } from '../model/micro.js';
import { trainBpe } from '../tokenizer/index.js';
import { grownTrainables, type GrowthRunSpec } from './grow.js';

describe('grownTrainables', () => {
  it('refuses a parent with the joint module, which growth does not grow', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'curio-grow-'));
    const base = {
      pool: { sources: [{ name: 'p', shards: ['x'] }] },
      metadata: { names: ['a'] },
      stop: { maxSteps: 1 },
    };
    await saveCheckpoint(new LocalBlobStore(parent), {
      state: {
        step: 1,
        spec: parseRunSpec(base),
        modelConfig: ModelConfig.parse({ ...microConfig(), joint: { tokens: 2, stages: 1 } }),
        optimizerStep: 1,
        data: { mode: 'offline', keptIds: [] },
        elapsedSeconds: 1,
        savedAt: new Date(0).toISOString(),
      },
      weights: new Map(),
      optimizer: {},
      tokenizer: trainBpe(['a red circle', 'a red square'], { vocabSize: 262 }).toJSON(),
    });
    const spec = parseRunSpec({ ...base, growth: { parent } }) as GrowthRunSpec;
    await expect(grownTrainables(spec, [], createDataStats(), undefined, () => {})).rejects.toThrow(
      /growth\.parent has a joint module/,
    );
  });
});
