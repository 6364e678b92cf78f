// Evaluations with the time and cost at which each was reached, the best per eval set marked,
// and the cost-to-accuracy chart (zero-shot top-1 against dollars).
import type { Evaluation, RunDetail } from '@curio/contracts';
import { LineChart } from '../../charts/line-chart.js';
import { DataTable } from '../../ui/data-table.js';
import { formatCost, formatDuration, formatPercent } from '../../ui/format.js';

/** The id of the best evaluation (zero-shot top-1) of each eval set. */
export function bestEvaluations(evals: readonly Evaluation[]): Set<string> {
  const best = new Map<string, Evaluation>();
  for (const e of evals) {
    const b = best.get(e.evalSet);
    if (!b || e.metrics.zeroShot.top1 > b.metrics.zeroShot.top1) best.set(e.evalSet, e);
  }
  return new Set([...best.values()].map((e) => e.id));
}

export function EvaluationTable({
  evaluations,
  caption,
}: {
  evaluations: readonly Evaluation[];
  caption: string;
}) {
  const best = bestEvaluations(evaluations);
  return (
    <DataTable
      caption={caption}
      empty="No evaluations yet."
      columns={['Eval set', 'Step', 'Top-1', 'Top-5', 'i→t R@1', 't→i R@1', 'Time', 'Cost']}
      items={evaluations}
      rowClass={(e) => (best.has(e.id) ? 'best' : undefined)}
      row={(e) => (
        <>
          <td>
            {e.evalSet}
            {best.has(e.id) && <span className="badge best-badge"> best</span>}
          </td>
          <td>{e.step}</td>
          <td>{formatPercent(e.metrics.zeroShot.top1)}</td>
          <td>{formatPercent(e.metrics.zeroShot.top5)}</td>
          <td>{e.metrics.retrieval ? formatPercent(e.metrics.retrieval.imageToText.r1) : '—'}</td>
          <td>{e.metrics.retrieval ? formatPercent(e.metrics.retrieval.textToImage.r1) : '—'}</td>
          <td>{formatDuration(e.elapsedSeconds)}</td>
          <td>{formatCost(e.cost)}</td>
        </>
      )}
    />
  );
}

export function EvaluationsSection({ run }: { run: RunDetail }) {
  const sets = [...new Set(run.evaluations.map((e) => e.evalSet))];
  return (
    <section id="evaluations" aria-labelledby="evaluations-h" className="card">
      <h2 id="evaluations-h">Evaluations</h2>
      <EvaluationTable evaluations={run.evaluations} caption="Evaluations of this run" />
      {run.evaluations.length > 0 && (
        <LineChart
          title="Cost to accuracy: zero-shot top-1 against dollars spent"
          xLabel="cost (USD)"
          points
          series={sets.map((set) => {
            const evals = run.evaluations.filter((e) => e.evalSet === set);
            return {
              label: set,
              xs: evals.map((e) => e.cost),
              ys: evals.map((e) => e.metrics.zeroShot.top1),
            };
          })}
        />
      )}
    </section>
  );
}
