// The experiment form's settings as the API's ExperimentCreate body, and the body checked by the
// same zod schema the API uses, with its errors keyed by field path.
import { ExperimentCreate } from '@curio/contracts';
import { issuesByPath } from '../ui/zod-issues.js';

export const PRESETS = ['tiny', 'small', 'base'] as const;
export const CURATION_MODES = ['cit', 'offline', 'none'] as const;

/** The common settings the form shows; everything else is the advanced JSON's. */
export interface ExperimentForm {
  name: string;
  description: string;
  poolId: string;
  metadataSetId: string;
  evalSetIds: string[];
  preset: (typeof PRESETS)[number];
  curation: (typeof CURATION_MODES)[number];
  batchSize: string;
  lr: string;
  maxSteps: string;
  maxMinutes: string;
  evalEvery: string;
  checkpointEvery: string;
  seed: string;
}

export const EMPTY_FORM: ExperimentForm = {
  name: '',
  description: '',
  poolId: '',
  metadataSetId: '',
  evalSetIds: [],
  preset: 'tiny',
  curation: 'cit',
  batchSize: '128',
  lr: '0.0005',
  maxSteps: '1000',
  maxMinutes: '',
  evalEvery: '100',
  checkpointEvery: '200',
  seed: '0',
};

/** A number field: empty is absent, anything else is Number(text) (NaN is left for zod to name). */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export function draftOf(f: ExperimentForm): Record<string, unknown> {
  return {
    name: f.name,
    ...(f.description ? { description: f.description } : {}),
    config: {
      poolId: f.poolId,
      metadataSetId: f.metadataSetId,
      evalSetIds: f.evalSetIds,
      seed: num(f.seed),
      model: { preset: f.preset },
      training: { batchSize: num(f.batchSize), lr: num(f.lr) },
      curation: { mode: f.curation },
      stop: { maxSteps: num(f.maxSteps), maxMinutes: num(f.maxMinutes) },
      eval: { everySteps: num(f.evalEvery) },
      checkpoint: { everySteps: num(f.checkpointEvery) },
    },
  };
}

export type Checked = { ok: true; body: unknown } | { ok: false; errors: Record<string, string> };

/** The body as ExperimentCreate reads it; `errors` keyed like `config.training.lr`. */
export function checkExperiment(body: unknown): Checked {
  const parsed = ExperimentCreate.safeParse(body);
  return parsed.success ? { ok: true, body } : { ok: false, errors: issuesByPath(parsed.error) };
}

/** The advanced editor's text: JSON that must parse, then the schema. */
export function checkExperimentJson(text: string): Checked & { value?: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: { '(json)': (e as Error).message } };
  }
  return { ...checkExperiment(value), value };
}

/** Which form field shows an error at `path`. */
export const FIELD_OF_PATH: Record<string, keyof ExperimentForm> = {
  name: 'name',
  description: 'description',
  'config.poolId': 'poolId',
  'config.metadataSetId': 'metadataSetId',
  'config.evalSetIds': 'evalSetIds',
  'config.seed': 'seed',
  'config.training.batchSize': 'batchSize',
  'config.training.lr': 'lr',
  'config.stop.maxSteps': 'maxSteps',
  'config.stop.maxMinutes': 'maxMinutes',
  'config.eval.everySteps': 'evalEvery',
  'config.checkpoint.everySteps': 'checkpointEvery',
};

export function formErrors(
  errors: Record<string, string>,
): Partial<Record<keyof ExperimentForm, string>> {
  const out: Partial<Record<keyof ExperimentForm, string>> = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = FIELD_OF_PATH[path];
    if (field) out[field] ??= message;
  }
  return out;
}
