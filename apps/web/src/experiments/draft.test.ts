import { describe, expect, it } from 'vitest';
import { checkExperiment, checkExperimentJson, draftOf, EMPTY_FORM, formErrors } from './draft.js';

const filled = { ...EMPTY_FORM, name: 'cit-tiny', poolId: 'pool_1', metadataSetId: 'mds_1' };

describe('experiment draft', () => {
  it('turns the filled form into a body the API schema accepts', () => {
    const checked = checkExperiment(draftOf(filled));
    expect(checked.ok).toBe(true);
  });

  it('names each bad field by its path and maps it onto the form', () => {
    const checked = checkExperiment(
      draftOf({ ...filled, name: '', lr: 'abc', maxSteps: '', batchSize: '0' }),
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors)).toEqual(
      expect.arrayContaining([
        'name',
        'config.training.lr',
        'config.training.batchSize',
        'config.stop.maxSteps',
      ]),
    );
    const fields = formErrors(checked.errors);
    expect(fields.maxSteps).toMatch(/maxSteps or maxMinutes/);
    expect(fields.lr).toBeDefined();
    expect(fields.name).toBeDefined();
  });

  it('reports JSON that does not parse, and the schema rules the API applies (subBatch divides)', () => {
    const broken = checkExperimentJson('{ "name": ');
    expect(broken.ok ? {} : broken.errors).toHaveProperty('(json)');
    const body = draftOf(filled) as { config: { training: Record<string, unknown> } };
    body.config.training.subBatch = 48;
    const checked = checkExperimentJson(JSON.stringify(body));
    expect(checked.ok).toBe(false);
    expect(checked.ok ? {} : checked.errors).toEqual({
      'config.training.subBatch': 'training.subBatch (48) must divide training.batchSize (128)',
    });
  });
});
