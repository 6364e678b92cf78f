// A checkpoint's blobs as one tar stream (tar-stream packs it), each file read from the blob store
// as it is sent: nothing is held in memory beyond a chunk.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pack as createPack } from 'tar-stream';
import type { RunBlobs } from './run-blobs.js';

/** The blobs `keys` of a run, named in the tar by what follows `prefix`. */
export function checkpointTar(
  store: RunBlobs,
  runId: string,
  keys: readonly string[],
  prefix: string,
): ReadableStream<Uint8Array> {
  const pack = createPack();
  const fill = async () => {
    for (const key of keys) {
      const blob = await store.get(runId, key);
      if (!blob) throw new Error(`checkpoint file ${key} disappeared while it was sent`);
      const entry = pack.entry({ name: key.slice(prefix.length), size: blob.size });
      await pipeline(Readable.fromWeb(blob.stream as unknown as WebReadableStream), entry);
    }
    pack.finalize();
  };
  fill().catch((error: unknown) => pack.destroy(error as Error));
  return Readable.toWeb(
    Readable.from(pack as AsyncIterable<Buffer>),
  ) as unknown as ReadableStream<Uint8Array>;
}
