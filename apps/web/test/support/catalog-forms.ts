// The catalog made through the dashboard's forms: a pool, a metadata set, an eval set and an
// experiment (common settings in the form, the curation cadence through the advanced JSON editor).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function createPool(page: Page, dataDir: string): Promise<void> {
  await page.goto('/pools');
  await page.getByLabel('Pool name').fill('synthetic');
  await page.getByLabel('Shards', { exact: true }).fill(join(dataDir, 'pool'));
  await page.getByRole('button', { name: 'Create pool' }).click();
  await page.getByRole('heading', { name: 'Pool synthetic' }).waitFor();
  await page.getByText('300 samples').first().waitFor();
}

export async function createMetadataSet(page: Page, dataDir: string): Promise<void> {
  await page.goto('/metadata-sets');
  await page.getByLabel('Set name').fill('shapes');
  await page.getByLabel('Names').fill(await readFile(join(dataDir, 'metadata.txt'), 'utf8'));
  // A synonym of a name not in the list is refused in the browser, at its field.
  await page.getByLabel('Synonyms (JSON)').fill('{"not-a-name": ["x"]}');
  await page.getByRole('button', { name: 'Create metadata set' }).click();
  await page.getByText('"not-a-name" is not one of names').waitFor();
  await page
    .getByLabel('Synonyms (JSON)')
    .fill(await readFile(join(dataDir, 'synonyms.json'), 'utf8'));
  await page.getByRole('button', { name: 'Create metadata set' }).click();
  await page.getByRole('heading', { name: 'Metadata set shapes' }).waitFor();
}

export async function createEvalSet(page: Page, dataDir: string): Promise<void> {
  await page.goto('/eval-sets');
  await page.getByLabel('Eval set name').fill('shapes');
  await page.getByLabel('Location').fill(join(dataDir, 'eval'));
  await page.getByRole('button', { name: 'Add eval set' }).click();
  await page.getByRole('cell', { name: join(dataDir, 'eval') }).waitFor();
}

/** A tiny CiT experiment; returns its page's URL. */
export async function createExperiment(
  page: Page,
  name: string,
  maxSteps: number,
): Promise<string> {
  await page.goto('/experiments/new');
  await page.getByLabel('Experiment name').fill(name);
  await page.getByLabel('Pool').selectOption({ label: 'synthetic' });
  await page.getByLabel('Metadata set').selectOption({ label: 'shapes' });
  await page.getByLabel('shapes', { exact: true }).check();
  await page.getByLabel('Batch size').fill('16');
  await page.getByLabel('Learning rate').fill('0.001');
  await page.getByLabel('Max steps').fill(String(maxSteps));
  await page.getByLabel('Evaluate every (steps)').fill('10');
  await page.getByLabel('Checkpoint every (steps)').fill('10');

  await page.getByLabel('Advanced: edit the whole experiment as JSON').check();
  const editor = page.getByLabel('Experiment JSON');
  const body = JSON.parse(await editor.inputValue());
  body.config.training.lr = -1; // the schema's own error, at its path, before anything is sent
  await editor.fill(JSON.stringify(body, null, 2));
  await page.getByText('config.training.lr', { exact: true }).waitFor();
  body.config.training = { ...body.config.training, lr: 0.001, warmupSteps: 2 };
  body.config.curation = { mode: 'cit', interval: 5, maxScanPerRound: 300 };
  await editor.fill(JSON.stringify(body, null, 2));
  await expect.poll(() => page.getByText('config.training.lr', { exact: true }).count()).toBe(0);
  await page.getByRole('button', { name: 'Create experiment' }).click();
  await page.getByRole('heading', { name: `Experiment ${name}` }).waitFor();
  return page.url();
}
