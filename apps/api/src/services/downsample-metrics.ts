// Downsampled metric series for charts: each series' step range is cut into `buckets` equal
// buckets, and every bucket gives its first, last, lowest and highest points (fewer when they
// coincide), so spikes and dips survive and a series of any length comes back in at most
// 4 × buckets points. One query on the (run_id, name, step) index.
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
  // Each point as float8 arrays ordered for min/max: [step, value, at] finds a bucket's first
  // and last, [value, step, at] its lowest (earliest on ties), [value, -step, at] its highest.
  // One hash aggregate over the rows, no sort (twice as fast as ranking with window functions).
  const rows = await queryRows<Row>(
    db,
    sql`
      with ranges as (
        select name, min(step) as lo, max(step) as hi
        from metrics where run_id = ${runId}${only} group by name
      ),
      points as (
        select m.name,
          ((m.step - r.lo)::bigint * ${buckets}) / (r.hi - r.lo + 1) as bucket,
          array[m.step::float8, m.value, extract(epoch from m.at)::float8 * 1000] as by_step,
          array[m.value, m.step::float8, extract(epoch from m.at)::float8 * 1000] as by_value,
          array[m.value, -m.step::float8, extract(epoch from m.at)::float8 * 1000] as by_value_desc
        from metrics m join ranges r on r.name = m.name
        where m.run_id = ${runId}
      ),
      buckets as (
        select name, min(by_step) as first, max(by_step) as last,
          min(by_value) as low, max(by_value_desc) as high
        from points group by name, bucket
      )
      select distinct name, p[1] as step, p[2] as value, p[3] as at_ms
      from buckets, lateral (values
        (first), (last), (array[low[2], low[1], low[3]]), (array[-high[2], high[1], high[3]])
      ) as kept(p)
      order by name, step`,
  );
  return rows.map((r) => ({
    name: r.name,
    step: Number(r.step),
    value: Number(r.value),
    at: new Date(Number(r.at_ms)).toISOString(),
  }));
}
