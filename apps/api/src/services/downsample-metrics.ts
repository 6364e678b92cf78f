// Downsampled metric series for charts: each series comes back in at most `buckets` buckets, and
// every bucket gives its first, last, lowest and highest point (fewer when they coincide), so
// spikes and dips survive and a series of any length comes back in at most 4 × buckets points.
// Exact per bucket, and read from the metric cells (schema/metric-cells.ts) rather than the
// points: the buckets are aligned to the widest cells of which the series has at least `buckets`
// (bucket-plan.ts), so a bucket is a run of whole cells and a series costs one index range scan
// of at most a few × `buckets` cells, whatever its length. A series spanning fewer steps than
// `buckets` cells of the finest width is read from its points. The database answers the pieces
// as one JSON text (far cheaper than a row per piece on PGlite); `combinePieces` makes each
// bucket from its pieces.
import type { MetricName, RunMetric } from '@curio/contracts';
import { queryRows, sql, type Db, type SQL } from '@curio/db';
import { METRIC_CELL_WIDTHS } from '@curio/db/schema';
import { planBuckets, type BucketPlan } from './bucket-plan.js';
import { combinePieces, type Piece } from './metric-pieces.js';

const WIDEST = METRIC_CELL_WIDTHS.at(-1)!;

export async function downsampledMetrics(
  db: Db,
  runId: string,
  buckets: number,
  name?: MetricName,
): Promise<RunMetric[]> {
  const only = name === undefined ? sql`` : sql` and name = ${name}`;
  const ranges = await queryRows<{ name: MetricName; lo: number; hi: number }>(
    db,
    sql`select name, min(first_step)::integer as lo, max(last_step)::integer as hi
      from metric_cells where run_id = ${runId} and width = ${WIDEST}${only} group by name`,
  );
  if (ranges.length === 0) return [];
  const selects = ranges.map((r) => seriesPieces(runId, r.name, planBuckets(r.lo, r.hi, buckets)));
  const [row] = await queryRows<{ pieces: string }>(
    db,
    sql`select coalesce(json_agg(json_build_array(name, b, fs, fv, fa, ls, lv, la, ns, nv, na,
      xs, xv, xa)), '[]')::text as pieces
    from (${sql.join(selects, sql` union all `)}) as pieces(name, b, fs, fv, fa, ls, lv, la, ns,
      nv, na, xs, xv, xa)`,
  );
  return combinePieces(JSON.parse(row?.pieces ?? '[]') as Piece[]);
}

const ms = (at: string) => sql.raw(`date_part('epoch', ${at}) * 1000`);

/** The pieces of one series: its cells of the plan's width, or its points, with their bucket. */
function seriesPieces(runId: string, name: MetricName, plan: BucketPlan): SQL {
  if (plan.kind === 'points')
    return sql`select name, ((step - ${plan.lo})::bigint * ${plan.buckets}) / ${plan.span},
      step, value, ${ms('at')}, null::integer, null::float8, null::float8, null::integer,
      null::float8, null::float8, null::integer, null::float8, null::float8
      from metrics where run_id = ${runId} and name = ${name}`;
  return sql`select name, (cell - ${plan.firstCell}) / ${plan.perBucket},
    first_step, first_value, ${ms('first_at')}, last_step, last_value, ${ms('last_at')},
    min_step, min_value, ${ms('min_at')}, max_step, max_value, ${ms('max_at')}
    from metric_cells where run_id = ${runId} and name = ${name} and width = ${plan.width}`;
}
