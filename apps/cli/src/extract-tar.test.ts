import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as createPack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { extractTar } from './extract-tar.js';

function tarOf(files: Record<string, string>): ReadableStream<Uint8Array> {
  const pack = createPack();
  for (const [name, text] of Object.entries(files)) pack.entry({ name }, text);
  pack.finalize();
  return Readable.toWeb(Readable.from(pack as AsyncIterable<Buffer>)) as never;
}

describe('extractTar', () => {
  it('writes the files of a checkpoint tar into the folder', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'curio-untar-')), 'out');
    const names = await extractTar(tarOf({ 'state.json': '{}', 'weights.bin': 'w' }), dir);
    expect(names).toEqual(['state.json', 'weights.bin']);
    expect(await readFile(join(dir, 'weights.bin'), 'utf8')).toBe('w');
  });

  it('refuses an archive that would write outside the folder, naming the entry', async () => {
    const root = await mkdtemp(join(tmpdir(), 'curio-untar-'));
    for (const bad of ['../escape.bin', '/etc/x', 'nested/file', '.hidden']) {
      const dir = join(root, 'out');
      await expect(extractTar(tarOf({ [bad]: 'x' }), dir), bad).rejects.toThrow(
        `the archive holds "${bad}", which is not a plain file name`,
      );
    }
    expect(await readdir(root)).toEqual(['out']);
    expect(await readdir(join(root, 'out'))).toEqual([]);
  });
});
