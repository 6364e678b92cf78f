// Evaluation metrics are stored flat (`{"zeroShot.top1": 0.41, "retrieval.imageToText.r5": …}`),
// so SQL can read one number, and handed out in the worker protocol's nested `EvalMetrics` shape.
import type { EvalMetrics } from '@curio/contracts';

export function flattenEvalMetrics(metrics: EvalMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') out[path] = value;
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(metrics, '');
  return out;
}

export function unflattenEvalMetrics(flat: Record<string, number>): EvalMetrics {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root as EvalMetrics;
}
