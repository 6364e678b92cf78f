-- metric_cells (schema/metric-cells.ts) kept by triggers on metrics: every statement that inserts
-- or upserts points rebuilds the cells it touched, in its own transaction. The cells of width 8
-- are rebuilt from their points, each wider one from its 8 cells of the width below (widths as
-- METRIC_CELL_WIDTHS). First/last by step; lowest/highest by value, the earliest on ties.
CREATE OR REPLACE FUNCTION "curio_refresh_metric_cells"(changed_runs text[], changed_names text[], changed_steps integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  w integer;
BEGIN
  INSERT INTO "metric_cells" AS c ("team_id", "run_id", "name", "width", "cell", "points",
    "first_step", "first_value", "first_at", "last_step", "last_value", "last_at",
    "min_step", "min_value", "min_at", "max_step", "max_value", "max_at")
  SELECT m."team_id", m."run_id", m."name", 8, t."cell", count(*)::integer,
    min(m."step"), (array_agg(m."value" ORDER BY m."step"))[1], (array_agg(m."at" ORDER BY m."step"))[1],
    max(m."step"), (array_agg(m."value" ORDER BY m."step" DESC))[1], (array_agg(m."at" ORDER BY m."step" DESC))[1],
    (array_agg(m."step" ORDER BY m."value", m."step"))[1], min(m."value"), (array_agg(m."at" ORDER BY m."value", m."step"))[1],
    (array_agg(m."step" ORDER BY m."value" DESC, m."step"))[1], max(m."value"), (array_agg(m."at" ORDER BY m."value" DESC, m."step"))[1]
  FROM (SELECT DISTINCT u.r AS "run_id", u.n AS "name", u.s / 8 AS "cell"
        FROM unnest(changed_runs, changed_names, changed_steps) AS u(r, n, s)) t
  JOIN "metrics" m ON m."run_id" = t."run_id" AND m."name" = t."name"
    AND m."step" >= t."cell"::bigint * 8 AND m."step" < (t."cell"::bigint + 1) * 8
  GROUP BY m."team_id", m."run_id", m."name", t."cell"
  ON CONFLICT ("run_id", "name", "width", "cell") DO UPDATE SET
    "points" = excluded."points",
    "first_step" = excluded."first_step", "first_value" = excluded."first_value", "first_at" = excluded."first_at",
    "last_step" = excluded."last_step", "last_value" = excluded."last_value", "last_at" = excluded."last_at",
    "min_step" = excluded."min_step", "min_value" = excluded."min_value", "min_at" = excluded."min_at",
    "max_step" = excluded."max_step", "max_value" = excluded."max_value", "max_at" = excluded."max_at";

  FOREACH w IN ARRAY ARRAY[64, 512, 4096] LOOP
    INSERT INTO "metric_cells" AS c ("team_id", "run_id", "name", "width", "cell", "points",
      "first_step", "first_value", "first_at", "last_step", "last_value", "last_at",
      "min_step", "min_value", "min_at", "max_step", "max_value", "max_at")
    SELECT p."team_id", p."run_id", p."name", w, t."cell", sum(p."points")::integer,
      min(p."first_step"), (array_agg(p."first_value" ORDER BY p."first_step"))[1], (array_agg(p."first_at" ORDER BY p."first_step"))[1],
      max(p."last_step"), (array_agg(p."last_value" ORDER BY p."last_step" DESC))[1], (array_agg(p."last_at" ORDER BY p."last_step" DESC))[1],
      (array_agg(p."min_step" ORDER BY p."min_value", p."min_step"))[1], min(p."min_value"), (array_agg(p."min_at" ORDER BY p."min_value", p."min_step"))[1],
      (array_agg(p."max_step" ORDER BY p."max_value" DESC, p."max_step"))[1], max(p."max_value"), (array_agg(p."max_at" ORDER BY p."max_value" DESC, p."max_step"))[1]
    FROM (SELECT DISTINCT u.r AS "run_id", u.n AS "name", u.s / w AS "cell"
          FROM unnest(changed_runs, changed_names, changed_steps) AS u(r, n, s)) t
    JOIN "metric_cells" p ON p."run_id" = t."run_id" AND p."name" = t."name" AND p."width" = w / 8
      AND p."cell" >= t."cell"::bigint * 8 AND p."cell" < (t."cell"::bigint + 1) * 8
    GROUP BY p."team_id", p."run_id", p."name", t."cell"
    ON CONFLICT ("run_id", "name", "width", "cell") DO UPDATE SET
      "points" = excluded."points",
      "first_step" = excluded."first_step", "first_value" = excluded."first_value", "first_at" = excluded."first_at",
      "last_step" = excluded."last_step", "last_value" = excluded."last_value", "last_at" = excluded."last_at",
      "min_step" = excluded."min_step", "min_value" = excluded."min_value", "min_at" = excluded."min_at",
      "max_step" = excluded."max_step", "max_value" = excluded."max_value", "max_at" = excluded."max_at";
  END LOOP;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "curio_metrics_refresh_cells"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "curio_refresh_metric_cells"(array_agg(p."run_id"), array_agg(p."name"), array_agg(p."step"))
  FROM (SELECT DISTINCT "run_id", "name", "step" / 8 * 8 AS "step" FROM "changed_points") p;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "metrics_insert_cells" AFTER INSERT ON "metrics"
  REFERENCING NEW TABLE AS "changed_points" FOR EACH STATEMENT EXECUTE FUNCTION "curio_metrics_refresh_cells"();
--> statement-breakpoint
CREATE TRIGGER "metrics_update_cells" AFTER UPDATE ON "metrics"
  REFERENCING NEW TABLE AS "changed_points" FOR EACH STATEMENT EXECUTE FUNCTION "curio_metrics_refresh_cells"();
--> statement-breakpoint
-- Backfill: the cells of the points already stored.
SELECT "curio_refresh_metric_cells"(array_agg(p."run_id"), array_agg(p."name"), array_agg(p."step"))
FROM (SELECT DISTINCT "run_id", "name", "step" / 8 * 8 AS "step" FROM "metrics") p;
