// The metrics a run reports, by name: the trainer's metric writer sends them, the API stores and
// serves them, the CLI and the dashboard read them. A new metric is added here first.
import { z } from 'zod';

export const METRIC_NAMES = [
  /** Contrastive loss of the step's batch. */
  'loss',
  /** Learning rate of the step. */
  'lr',
  /**
   * Contrastive temperature τ after the step (the model learns log(1/τ), its logit scale; τ is
   * 1/scale, at least 0.01): a fixed temperature reports its constant value.
   */
  'temperature',
  /** Global gradient norm (left out when not finite). */
  'grad_norm',
  /** Training throughput. */
  'samples_per_sec',
  /** Achieved training GFLOP/s (3 × forward FLOPs × samples/s). */
  'gflop_per_sec',
  /** Kept ratio of the last curation round. */
  'curation_ratio',
  /** Share of a round's kept samples that are on target (only pools that know: synthetic). */
  'curation_on_target',
] as const;
export const FixedMetricName = z.enum(METRIC_NAMES);
export type FixedMetricName = z.infer<typeof FixedMetricName>;

/**
 * A family of names with the series in the name (the `metrics` table keys a point by run, name and
 * step): `source_weight:<pool source>`, the weight of a pool source in the draw of a batch's
 * source (adaptive source weights), at the steps it is set.
 */
export const SOURCE_WEIGHT_PREFIX = 'source_weight:';
export const SourceWeightMetricName = z.templateLiteral([
  SOURCE_WEIGHT_PREFIX,
  z.string().min(1).max(200),
]);

/** The name of the metric that carries `source`'s weight. */
export function sourceWeightMetric(source: string): `source_weight:${string}` {
  return `${SOURCE_WEIGHT_PREFIX}${source}`;
}

export const MetricName = z
  .union([FixedMetricName, SourceWeightMetricName])
  .meta({ id: 'MetricName' });
export type MetricName = z.infer<typeof MetricName>;
