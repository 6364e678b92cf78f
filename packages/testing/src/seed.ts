// Minimal rows for tests: a team and an experiment with a valid config.
import { ExperimentConfig, type RunSpecInput } from '@curio/contracts';
import type { Db } from '@curio/db';
import { experiments, teams, type Experiment, type Team } from '@curio/db/schema';

let counter = 0;

export async function seedTeam(db: Db, name = `Team ${++counter}`): Promise<Team> {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const [team] = await db.insert(teams).values({ name, slug }).returning();
  return team!;
}

/** A tiny valid run spec (10 steps on one local pool). */
export function tinyRunSpecInput(): RunSpecInput {
  return {
    pool: { sources: [{ name: 'web', shards: ['data/pool'] }] },
    metadata: { names: ['red circle', 'blue square'] },
    stop: { maxSteps: 10 },
  };
}

/**
 * A valid experiment config whose pool and metadata ids point at nothing: enough for rows that
 * need an experiment (runs), not for starting a run through the API.
 */
export function tinyExperimentConfig(): ExperimentConfig {
  return ExperimentConfig.parse({
    poolId: 'pool_seed',
    metadataSetId: 'meta_seed',
    stop: { maxSteps: 10 },
  });
}

export async function seedExperiment(
  db: Db,
  teamId: string,
  name = `experiment ${++counter}`,
): Promise<Experiment> {
  const [experiment] = await db
    .insert(experiments)
    .values({ teamId, name, config: tinyExperimentConfig() })
    .returning();
  return experiment!;
}
