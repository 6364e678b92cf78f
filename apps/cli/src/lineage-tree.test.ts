import type { Lineage } from '@curio/contracts';
import { describe, expect, it } from 'vitest';
import { lineageTree } from './lineage-tree.js';

const ckpt = (id: string, runId: string, step: number, parent: string | null, top1?: number) => ({
  id,
  runId,
  external: false,
  step,
  parentCheckpointId: parent,
  architecture: runId === 'run_a' ? 'tiny: image 2×32' : 'tiny: image 3×32',
  bestEval: top1 === undefined ? null : { evalSet: 'shapes', top1, step },
  createdAt: '2026-03-01T10:00:00.000Z',
});

const lineage: Lineage = {
  experimentId: 'exp_1',
  checkpoints: [
    ckpt('ckpt_a5', 'run_a', 5, null, 0.6),
    ckpt('ckpt_a10', 'run_a', 10, 'ckpt_a5', 0.7),
    ckpt('ckpt_b10', 'run_b', 10, 'ckpt_a10'),
    ckpt('ckpt_b20', 'run_b', 20, 'ckpt_b10', 0.75),
  ],
  growthSteps: [
    {
      id: 'grow_1',
      runId: 'run_b',
      step: 10,
      parentCheckpointId: 'ckpt_a10',
      childCheckpointId: 'ckpt_b10',
      parentArchitecture: 'tiny: image 2×32',
      parentScore: 2.5,
      score: 'contrastive-loss',
      momentum: 0.9,
      candidates: [
        {
          name: 'image+1block',
          operator: 'addBlocks',
          architecture: 'tiny: image 3×32',
          gflopsPerSample: 0.03,
          params: 3000,
          score: 2.2,
          proxySteps: 5,
          seconds: 0.5,
          chosen: true,
        },
        {
          name: 'text-widen',
          operator: 'widen',
          architecture: 'tiny: text 2×48',
          gflopsPerSample: 0.04,
          params: 4000,
          score: 2.4,
          proxySteps: 5,
          seconds: 0.6,
          chosen: false,
        },
      ],
      at: '2026-03-01T11:00:00.000Z',
    },
  ],
};

describe('lineage tree', () => {
  it('nests a growth run under the run it grew from, with its candidates', () => {
    expect(lineageTree(lineage)).toEqual([
      'run run_a: steps 5–10, 2 checkpoint(s), last ckpt_a10; tiny: image 2×32, best 70.0% on shapes (ckpt_a10)',
      '└─ run run_b: steps 10–20, 2 checkpoint(s), last ckpt_b20; tiny: image 3×32, best 75.0% on shapes (ckpt_b20)',
      '      grew at step 10 from tiny: image 2×32, by contrastive-loss (parent 2.5000):',
      '      * image+1block: 2.2000, 0.030 GFLOPs, 3000 params, 5 steps in 0.5 s; tiny: image 3×32',
      '        text-widen: 2.4000, 0.040 GFLOPs, 4000 params, 5 steps in 0.6 s; tiny: text 2×48',
    ]);
  });

  it('says when there is nothing yet', () => {
    expect(lineageTree({ experimentId: 'exp_2', checkpoints: [], growthSteps: [] })).toEqual([
      'experiment exp_2 has no checkpoints yet',
    ]);
  });
});
