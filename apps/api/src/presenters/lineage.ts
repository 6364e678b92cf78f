// Rows → the lineage API shapes: checkpoints with a one-line architecture summary, growth steps
// with their candidates.
import type { GrowthStepData, LineageCheckpoint, LineageGrowthStep } from '@curio/contracts';
import type { Checkpoint, GrowthStep } from '@curio/db/schema';
import { iso } from './time.js';

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function tower(label: string, t: unknown): string | undefined {
  if (!t || typeof t !== 'object') return undefined;
  const { depth, width, heads } = t as Json;
  if (num(depth) === undefined || num(width) === undefined) return undefined;
  return `${label} ${depth}×${width}${num(heads) === undefined ? '' : ` (${heads} heads)`}`;
}

/** e.g. `tiny: image 4×128 (4 heads), text 4×128 (4 heads), shared 1×128`. */
export function architectureSummary(a: Json): string {
  const parts = [tower('image', a.image), tower('text', a.text), tower('shared', a.shared)].filter(
    (p): p is string => p !== undefined,
  );
  const name = typeof a.name === 'string' ? a.name : 'model';
  return parts.length ? `${name}: ${parts.join(', ')}` : name;
}

export interface BestEval {
  evalSet: string;
  top1: number;
  step: number;
}

export function presentLineageCheckpoint(
  c: Checkpoint,
  external: boolean,
  bestEval: BestEval | undefined,
): LineageCheckpoint {
  return {
    id: c.id,
    runId: c.runId,
    external,
    step: c.step,
    parentCheckpointId: c.parentCheckpointId,
    architecture: architectureSummary(c.architecture),
    bestEval: bestEval ?? null,
    createdAt: iso(c.createdAt),
  };
}

export function presentGrowthStep(
  g: GrowthStep,
  childCheckpointId: string | null,
): LineageGrowthStep {
  const data: GrowthStepData = g.data;
  return {
    id: g.id,
    runId: g.runId,
    step: g.step,
    parentCheckpointId: g.parentCheckpointId,
    childCheckpointId,
    parentArchitecture: architectureSummary(data.parentArchitecture),
    parentScore: data.parentScore ?? null,
    score: data.score,
    momentum: data.momentum,
    candidates: data.candidates.map((c, i) => ({
      name: c.name,
      operator: c.operator,
      architecture: architectureSummary(c.architecture),
      gflopsPerSample: c.gflopsPerSample,
      params: c.params,
      score: c.score,
      proxySteps: c.proxySteps,
      seconds: c.seconds,
      chosen: i === data.chosen,
    })),
    at: iso(g.at),
  };
}
