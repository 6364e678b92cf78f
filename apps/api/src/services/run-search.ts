// What `GET /v1/runs?q=` matches, case-insensitive: a run id that starts with q, or q within the
// name of the run's experiment, its status, device or error text. Only the caller's team's runs
// and experiments are looked at (the list query adds the run's team; the experiment lookup is
// scoped here too). LIKE wildcards in q match literally.
import { and, eq, ilike, inArray, or, sql, type Db, type SQL } from '@curio/db';
import { experiments, runs } from '@curio/db/schema';

/** `q` with `%`, `_` and `\` escaped for LIKE (whose default escape character is `\`). */
const likeLiteral = (q: string) => q.replace(/[\\%_]/g, '\\$&');

export function runSearch(db: Db, teamId: string, q: string): SQL {
  const within = `%${likeLiteral(q)}%`;
  const namedLike = db
    .select({ id: experiments.id })
    .from(experiments)
    .where(and(eq(experiments.teamId, teamId), ilike(experiments.name, within)));
  return or(
    ilike(runs.id, `${likeLiteral(q)}%`),
    inArray(runs.experimentId, namedLike),
    ilike(sql`${runs.status}::text`, within),
    ilike(runs.device, within),
    ilike(runs.error, within),
  )!;
}
