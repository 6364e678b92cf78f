// Downsampled metric series for charts: each series' step range is cut into `buckets` equal
// buckets, and every bucket gives its first, last, lowest and highest points (fewer when they
// coincide), so spikes and dips survive and a series of any length comes back in at most
// 4 × buckets points. One query on the (run_id, name, step) index; window functions rank the
// points inside each bucket.
import type { MetricName, RunMetric } from '@curio/contracts';
import { queryRows, sql, type Db } from '@curio/db';

interface Row extends Record<string, unknown> {
  name: MetricName;
  step: number;
  value: number;
  at_ms: number;
}

export async function downsampledMetrics(
  db: Db,
  runId: string,
  buckets: number,
  name?: MetricName,
): Promise<RunMetric[]> {
  const only = name === undefined ? sql`` : sql` and name = ${name}`;
  const rows = await queryRows<Row>(
    db,
    sql`
      with ranges as (
        select name, min(step) as lo, max(step) as hi
        from metrics where run_id = ${runId}${only} group by name
      ),
      bucketed as (
        select m.name, m.step, m.value, m.at,
          ((m.step - r.lo)::bigint * ${buckets}) / (r.hi - r.lo + 1) as bucket
        from metrics m join ranges r on r.name = m.name
        where m.run_id = ${runId}
      ),
      ranked as (
        select name, step, value, at,
          row_number() over (partition by name, bucket order by step) as from_first,
          row_number() over (partition by name, bucket order by step desc) as from_last,
          row_number() over (partition by name, bucket order by value, step) as from_min,
          row_number() over (partition by name, bucket order by value desc, step) as from_max
        from bucketed
      )
      select name, step, value, (extract(epoch from at) * 1000)::float8 as at_ms
      from ranked
      where from_first = 1 or from_last = 1 or from_min = 1 or from_max = 1
      order by name, step`,
  );
  return rows.map((r) => ({
    name: r.name,
    step: Number(r.step),
    value: Number(r.value),
    at: new Date(Number(r.at_ms)).toISOString(),
  }));
}
