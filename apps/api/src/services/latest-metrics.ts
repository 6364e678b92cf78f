// A run's latest value of each metric, from the widest metric cells (schema/metric-cells.ts): the
// last cell of each series holds its last point, so this reads a few rows per series however
// long the run, where a DISTINCT ON over the points reads them all.
import type { RunDetail } from '@curio/contracts';
import { and, desc, eq, type Db } from '@curio/db';
import { METRIC_CELL_WIDTHS, metricCells } from '@curio/db/schema';

const WIDEST = METRIC_CELL_WIDTHS[METRIC_CELL_WIDTHS.length - 1]!;

export async function latestMetrics(db: Db, runId: string): Promise<RunDetail['latestMetrics']> {
  const rows = await db
    .selectDistinctOn([metricCells.name], {
      name: metricCells.name,
      step: metricCells.lastStep,
      value: metricCells.lastValue,
    })
    .from(metricCells)
    .where(and(eq(metricCells.runId, runId), eq(metricCells.width, WIDEST)))
    .orderBy(metricCells.name, desc(metricCells.cell));
  return Object.fromEntries(rows.map((r) => [r.name, { step: r.step, value: r.value }]));
}
