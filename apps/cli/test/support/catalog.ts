// A pool, metadata set, eval set and experiment `tiny` (10 steps) made through the CLI itself.
// Its data folder is granted to the team first, as an operator would.
import { join } from 'node:path';
import type { ServedApi } from './api.js';
import { curio, tempDir, writeEvalSet, writeShard } from './cli.js';

export async function createCatalog(api: ServedApi, env: Record<string, string>): Promise<void> {
  const dir = await tempDir();
  await api.grant(dir);
  await writeShard(join(dir, 'pool.tar'), 6);
  await writeEvalSet(join(dir, 'eval'));
  for (const args of [
    ['pools', 'add', 'web', join(dir, 'pool.tar')],
    ['metadata', 'add', 'shapes', '--names', 'red circle,blue square'],
    ['evalsets', 'add', 'shapes', join(dir, 'eval')],
    [
      'experiments',
      'create',
      'tiny',
      '--pool',
      'web',
      '--metadata',
      'shapes',
      '--eval',
      'shapes',
      '--max-steps',
      '10',
    ],
  ]) {
    const r = await curio(args, env);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
}
