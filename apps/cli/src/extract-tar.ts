// Unpacks a checkpoint tar (as the API streams it) into a folder: plain files at the top level
// only, so a hostile archive cannot write outside the folder. tar-stream parses the stream.
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { extract as createExtract } from 'tar-stream';

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;

/** Writes each file of the tar into `dir` (created if needed); returns the names written. */
export async function extractTar(body: ReadableStream<Uint8Array>, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  const extract = createExtract();
  const source = Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
  const unpacked = (async () => {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      if (type !== 'file' || !FILE_NAME.test(name))
        throw new Error(`the archive holds "${name}", which is not a plain file name`);
      // Written aside, then renamed: an interrupted download leaves no half file under its name.
      const file = join(dir, name);
      await pipeline(entry, createWriteStream(`${file}.partial`));
      await rename(`${file}.partial`, file);
      names.push(name);
    }
  })();
  await Promise.all([pipeline(source, extract), unpacked]);
  return names;
}
