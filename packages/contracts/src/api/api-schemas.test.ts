import { describe, expect, it } from 'vitest';
import { formatIssues } from '../run-spec.js';
import { ExperimentConfig } from './experiments.js';
import { MetadataContent } from './catalog.js';
import { ScheduleCreate } from './schedules.js';

const refs = { poolId: 'pool_1', metadataSetId: 'meta_1', stop: { maxSteps: 10 } };

describe('API schemas', () => {
  it('ExperimentConfig is the run spec with its data given by id', () => {
    const config = ExperimentConfig.parse(refs);
    expect(config).toMatchObject({
      poolId: 'pool_1',
      evalSetIds: [],
      training: { batchSize: 128 },
    });
    expect(config).not.toHaveProperty('pool');
    const bad = ExperimentConfig.safeParse({ ...refs, training: { batchSize: 10, subBatch: 3 } });
    expect(bad.success).toBe(false);
    expect(formatIssues(bad.error!)).toMatch(/training\.subBatch/);
    expect(ExperimentConfig.safeParse({ ...refs, poolId: undefined }).success).toBe(false);
  });

  it('metadata synonyms must belong to a name; templates need {}', () => {
    const bad = MetadataContent.safeParse({
      names: ['a'],
      synonyms: { b: ['x'] },
      templates: ['no slot'],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'synonyms.b',
      'templates.0',
    ]);
  });

  it('a schedule has exactly one trigger', () => {
    expect(ScheduleCreate.safeParse({ experimentId: 'e', everyMinutes: 5 }).success).toBe(true);
    expect(ScheduleCreate.safeParse({ experimentId: 'e' }).success).toBe(false);
    expect(
      ScheduleCreate.safeParse({ experimentId: 'e', at: ['09:00'], cron: '* * * * *' }).success,
    ).toBe(false);
  });
});
