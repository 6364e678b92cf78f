// Downsampled metric series for charts: each series' step range is cut into `buckets` equal
// buckets, and every bucket gives its first, last, lowest and highest point (fewer when they
// coincide), so spikes and dips survive and a series of any length comes back in at most
// 4 × buckets points. Exact, and read from the metric cells (schema/metric-cells.ts) rather than
// the points: from the widest cells down, a cell that lies inside one bucket stands for all its
// points, and only a cell that straddles two buckets is opened (its 8 cells of the width below,
// or for the finest width its points). So a bucket costs a handful of rows per edge whatever the
// series' length. The database answers these pieces as one JSON text (far cheaper than a row per
// piece on PGlite); `combinePieces` makes each bucket from its pieces.
import type { MetricName, RunMetric } from '@curio/contracts';
import { queryRows, sql, type Db, type SQL } from '@curio/db';
import { METRIC_CELL_WIDTHS } from '@curio/db/schema';
import { combinePieces, type Piece } from './metric-pieces.js';

export async function downsampledMetrics(
  db: Db,
  runId: string,
  buckets: number,
  name?: MetricName,
): Promise<RunMetric[]> {
  const [row] = await queryRows<{ pieces: string }>(db, piecesQuery(runId, buckets, name));
  return combinePieces(JSON.parse(row?.pieces ?? '[]') as Piece[]);
}

/** One row whose `pieces` is the JSON text of every piece (`Piece`) of every bucket. */
function piecesQuery(runId: string, buckets: number, name?: MetricName): SQL {
  const only = name === undefined ? sql`` : sql` and name = ${name}`;
  // The bucket of a step s of a series in [lo, hi]: floor((s - lo) × buckets / (hi - lo + 1)).
  const bucket = (step: SQL) => sql`((${step} - r.lo)::bigint * ${buckets}) / (r.hi - r.lo + 1)`;
  const widths = [...METRIC_CELL_WIDTHS].reverse();
  const levels = widths.map((width, i) => {
    // Each lookup a LATERAL subquery fenced by OFFSET 0, so it stays an index range scan per
    // parent however stale the planner's statistics (PGlite never analyzes on its own).
    const cells = (where: SQL) => sql`cross join lateral (select * from metric_cells c
      where c.run_id = ${runId} and c.width = ${width} and ${where} offset 0) c`;
    const from =
      i === 0
        ? sql`from ranges r ${cells(sql`c.name = r.name`)}`
        : sql`from ${sql.identifier(`w${widths[i - 1]}`)} p join ranges r on r.name = p.name
            ${cells(sql`c.name = p.name and c.cell >= p.cell::bigint * ${widths[i - 1]! / width}
              and c.cell < (p.cell::bigint + 1) * ${widths[i - 1]! / width}`)}
            where p.b_from <> p.b_to`;
    return sql`${sql.identifier(`w${width}`)} as (
      select c.*, ${bucket(sql`greatest(c.cell::bigint * ${width}, r.lo)`)} as b_from,
        ${bucket(sql`least((c.cell::bigint + 1) * ${width} - 1, r.hi)`)} as b_to
      ${from})`;
  });
  const ms = (at: string) => sql.raw(`date_part('epoch', ${at}) * 1000`);
  const cellPieces = widths.map(
    (width) => sql`select name, b_from, first_step, first_value, ${ms('first_at')},
      last_step, last_value, ${ms('last_at')}, min_step, min_value, ${ms('min_at')},
      max_step, max_value, ${ms('max_at')}
      from ${sql.identifier(`w${width}`)} where b_from = b_to`,
  );
  const finest = sql.identifier(`w${widths.at(-1)}`);
  return sql`
    with ranges as (
      select name, min(first_step) as lo, max(last_step) as hi from metric_cells
      where run_id = ${runId} and width = ${widths[0]}${only} group by name
    ),
    ${sql.join(levels, sql`, `)},
    pieces(name, b, fs, fv, fa, ls, lv, la, ns, nv, na, xs, xv, xa) as (
      ${sql.join(cellPieces, sql` union all `)}
      union all
      select m.name, ${bucket(sql`m.step`)}, m.step, m.value, ${ms('m.at')},
        null, null, null, null, null, null, null, null, null
      from ${finest} p join ranges r on r.name = p.name
      cross join lateral (select * from metrics m where m.run_id = ${runId} and m.name = p.name
        and m.step >= p.cell::bigint * ${widths.at(-1)}
        and m.step < (p.cell::bigint + 1) * ${widths.at(-1)} offset 0) m
      where p.b_from <> p.b_to
    )
    select coalesce(json_agg(json_build_array(name, b, fs, fv, fa, ls, lv, la, ns, nv, na, xs,
      xv, xa)), '[]')::text as pieces
    from pieces`;
}
