// examples/*.json run as written after the one command examples/README.md names: run that
// command (in a scratch copy of the layout), then check that every example parses and that every
// pool, metadata file and eval set it names now exists; a tower `init` must be the `--out` of
// another example's command in the README.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readEvalSet, resolveShards } from '@curio/webdataset';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/curio-train.js', import.meta.url));

/** The `npx curio-train …` lines of the README's sh blocks, as argument lists. */
async function readmeCommands(): Promise<string[][]> {
  const readme = await readFile(join(examples, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .filter((line) => line.startsWith('npx curio-train '))
    .map((line) => line.replace('npx curio-train ', '').split(/\s+/));
}

const optionOf = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('examples/', () => {
  let root: string;
  let commands: string[][];
  let names: string[];

  beforeAll(async () => {
    commands = await readmeCommands();
    const prepare = commands.filter((c) => c[0] === 'synth');
    expect(prepare, 'the README names one data command').toHaveLength(1);
    root = await mkdtemp(join(tmpdir(), 'curio-examples-'));
    await mkdir(join(root, 'examples'));
    names = (await readdir(examples)).filter((n) => n.endsWith('.json'));
    for (const name of names) await copyFile(join(examples, name), join(root, 'examples', name));
    await promisify(execFile)(process.execPath, [bin, ...prepare[0]!], { cwd: root });
  }, 180_000);

  it('has examples', () => expect(names.length).toBeGreaterThanOrEqual(4));

  it('parse, and name only data the README command created', async () => {
    for (const name of names) {
      const config = await loadConfig(join(root, 'examples', name), join(root, 'out'));
      const { spec } = config;
      for (const source of spec.pool.sources) {
        const shards = await resolveShards(source.shards);
        expect(shards.length, `${name}: ${source.name}`).toBeGreaterThan(0);
        for (const shard of shards) expect(shard, name).toMatch(new RegExp(`^${root}/\\.data/`));
      }
      expect(spec.metadata.file ?? root, name).toMatch(new RegExp(`^${root}/`));
      for (const evalSet of spec.evalSets)
        expect((await readEvalSet(evalSet.path)).classnames.length, name).toBeGreaterThan(0);
      expect(config.metadata.length, name).toBeGreaterThan(0);
      for (const init of [spec.model.image.init, spec.model.text.init].filter(Boolean)) {
        const producer = commands.find(
          (c) => c[0] === '--spec' && resolve(root, optionOf(c, '--out')!) === init,
        );
        expect(producer, `${name}: init ${init} is the --out of a README command`).toBeDefined();
        expect(names).toContain(optionOf(producer!, '--spec')!.replace('examples/', ''));
      }
    }
  });
});
