// Test-only helpers. `forceRun` writes lifecycle columns directly to set up a scenario; outside
// tests nothing but transition() writes a run's status.
import { eq, sql, type Db } from '@curio/db';
import { runs, type Run } from '@curio/db/schema';
import { seedExperiment, seedTeam } from '@curio/testing';
import { createRun } from './create';

export async function seedRun(db: Db, overrides: { maxAttempts?: number } = {}) {
  const team = await seedTeam(db);
  const experiment = await seedExperiment(db, team.id);
  const { run } = await createRun(db, {
    teamId: team.id,
    experimentId: experiment.id,
    ...overrides,
  });
  return { team, experiment, run };
}

export async function forceRun(
  db: Db,
  runId: string,
  values: Partial<Pick<Run, 'status' | 'attempt' | 'maxAttempts'>> & { heartbeatAgoMs?: number },
): Promise<void> {
  const { heartbeatAgoMs, ...rest } = values;
  await db
    .update(runs)
    .set({
      ...rest,
      ...(heartbeatAgoMs !== undefined && {
        heartbeatAt: sql`now() - (${heartbeatAgoMs} * interval '1 millisecond')`,
      }),
    })
    .where(eq(runs.id, runId));
}
