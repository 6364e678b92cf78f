// An accessibility check of the page as it is now: axe-core injected through Playwright, the
// serious and critical violations returned (each with the elements it found).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

let source: string | undefined;

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function seriousA11yProblems(page: Page): Promise<AxeProblem[]> {
  source ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResults> } }).axe;
    type AxeResults = {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
    };
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}
