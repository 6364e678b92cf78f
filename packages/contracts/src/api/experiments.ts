// Experiments: a named run configuration. The config is the run spec with its data given by
// reference (a pool, a metadata set version, eval sets) instead of by location; the API resolves
// the references when a run starts, so runs record exactly what they trained on.
import { z } from 'zod';
import { INT4_MAX } from '../bounds.js';
import { GrowthSpec } from '../growth.js';
import { RunSpec } from '../run-spec.js';
import { Description, Name, Timestamp } from './common.js';

export const ExperimentConfig = RunSpec.omit({ pool: true, metadata: true, evalSets: true })
  .extend({
    poolId: z.string().min(1).max(100),
    metadataSetId: z.string().min(1).max(100),
    /** A fixed version of the metadata set; absent: its latest version when a run starts. */
    metadataVersion: z.number().int().min(1).max(INT4_MAX).optional(),
    evalSetIds: z.array(z.string().min(1).max(100)).max(100).default([]),
    /**
     * Growth settings. Without `parent` they configure the runs a `growth` schedule starts (from
     * the experiment's best checkpoint, on its new shards plus `replay` of the old); with `parent`
     * every run of the experiment grows from that checkpoint.
     */
    growth: GrowthSpec.partial({ parent: true }).optional(),
  })
  .superRefine((c, ctx) => {
    const { batchSize, subBatch } = c.training;
    if (subBatch !== undefined && batchSize % subBatch !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'subBatch'],
        message: `training.subBatch (${subBatch}) must divide training.batchSize (${batchSize})`,
      });
    if (c.growth && (c.model.image.init !== undefined || c.model.text.init !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['growth'],
        message:
          'growth runs start from growth.parent or the best checkpoint: model.image.init and model.text.init must be absent',
      });
    if (new Set(c.evalSetIds).size !== c.evalSetIds.length)
      ctx.addIssue({
        code: 'custom',
        path: ['evalSetIds'],
        message: 'an eval set is listed twice',
      });
  });
export type ExperimentConfig = z.infer<typeof ExperimentConfig>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfig>;

export const ExperimentCreate = z.object({
  name: Name,
  description: Description.optional(),
  config: ExperimentConfig,
});
export type ExperimentCreate = z.input<typeof ExperimentCreate>;

export const Experiment = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    config: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Experiment' });
export type Experiment = Omit<z.infer<typeof Experiment>, 'config'> & { config: ExperimentConfig };
