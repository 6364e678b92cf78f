// Writes WebDataset tar shards (used by the synthetic generator and by tests). Headers are fixed
// (mtime 0, uid/gid 0, mode 644) so the same members always give the same bytes.
import { createWriteStream, mkdir } from '#local-files';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as createPack } from 'tar-stream';

export interface TarEntry {
  name: string;
  data: Uint8Array | string;
}

/** Write `entries` as a tar file at `file` (parent folders are created). */
export async function writeTarShard(file: string, entries: Iterable<TarEntry>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const pack = createPack();
  const done = pipeline(pack, createWriteStream(file));
  for (const entry of entries) {
    if (!entry.name || entry.name.includes('\0'))
      throw new Error(`tar entry name "${entry.name}" is not valid`);
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        {
          name: entry.name,
          size: data.length,
          mtime: new Date(0),
          mode: 0o644,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
        },
        data,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
}
